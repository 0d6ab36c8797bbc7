import type { AppCredentials, ConnectionAdapter } from "./types";

/** Secret names per credentials key: the app id / client id and its secret. */
const SECRET_NAMES: Record<ConnectionAdapter["credentialsKey"], [string, string]> = {
  meta: ["META_APP_ID", "META_APP_SECRET"],
  threads: ["THREADS_APP_ID", "THREADS_APP_SECRET"],
  tiktok: ["TIKTOK_CLIENT_KEY", "TIKTOK_CLIENT_SECRET"],
  linkedin: ["LINKEDIN_CLIENT_ID", "LINKEDIN_CLIENT_SECRET"],
  google: ["GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET"],
  airtable: ["AIRTABLE_CLIENT_ID", "AIRTABLE_CLIENT_SECRET"],
};

export function credentialSecretNames(key: ConnectionAdapter["credentialsKey"]): [string, string] {
  return SECRET_NAMES[key];
}

/** The platform's app credentials, or null when they are not configured (the platform is then unavailable). */
export function credentialsFor(env: Env, key: ConnectionAdapter["credentialsKey"]): AppCredentials | null {
  const [idName, secretName] = SECRET_NAMES[key];
  const vars = env as unknown as Record<string, unknown>;
  const clientId = vars[idName];
  const clientSecret = vars[secretName];
  return typeof clientId === "string" && clientId && typeof clientSecret === "string" && clientSecret ? { clientId, clientSecret } : null;
}

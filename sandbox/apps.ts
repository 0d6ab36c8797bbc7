/**
 * The app credentials the sandbox accepts, per platform. `npm start` and the tests configure the app
 * with exactly these (they are not secrets: the sandbox only runs locally).
 */
export const SANDBOX_APPS = {
  meta: { clientId: "100000000000001", clientSecret: "sandbox-meta-app-secret" },
  threads: { clientId: "100000000000002", clientSecret: "sandbox-threads-app-secret" },
  tiktok: { clientId: "sbxclientkey0001", clientSecret: "sandbox-tiktok-client-secret" },
  linkedin: { clientId: "sandboxlinkedin01", clientSecret: "sandbox-linkedin-client-secret" },
  google: { clientId: "sandbox-1.apps.googleusercontent.com", clientSecret: "sandbox-google-client-secret" },
  airtable: { clientId: "sandbox-airtable-client", clientSecret: "sandbox-airtable-client-secret" },
} as const;

/** The verify token of the Meta app's webhook subscription (the app's META_WEBHOOK_VERIFY_TOKEN). */
export const SANDBOX_META_WEBHOOK_VERIFY_TOKEN = "sandbox-meta-verify-token";

export type SandboxAppKey = keyof typeof SANDBOX_APPS;

export function appMatches(key: SandboxAppKey, clientId: string | null | undefined, clientSecret?: string | null): boolean {
  const app = SANDBOX_APPS[key];
  return clientId === app.clientId && (clientSecret === undefined || clientSecret === app.clientSecret);
}

// The app credentials the local sandbox accepts, as the app's secret names. Mirrors sandbox/apps.ts
// (checked by test/sandbox/credentials.test.ts). Used by `npm start` (.dev.vars) and the tests.
export const SANDBOX_APP_CREDENTIALS = {
  META_APP_ID: "100000000000001",
  META_APP_SECRET: "sandbox-meta-app-secret",
  /** The token Meta echoes in the webhook verification request (the sandbox's app subscription uses it). */
  META_WEBHOOK_VERIFY_TOKEN: "sandbox-meta-verify-token",
  THREADS_APP_ID: "100000000000002",
  THREADS_APP_SECRET: "sandbox-threads-app-secret",
  TIKTOK_CLIENT_KEY: "sbxclientkey0001",
  TIKTOK_CLIENT_SECRET: "sandbox-tiktok-client-secret",
  LINKEDIN_CLIENT_ID: "sandboxlinkedin01",
  LINKEDIN_CLIENT_SECRET: "sandbox-linkedin-client-secret",
  GOOGLE_CLIENT_ID: "sandbox-1.apps.googleusercontent.com",
  GOOGLE_CLIENT_SECRET: "sandbox-google-client-secret",
  AIRTABLE_CLIENT_ID: "sandbox-airtable-client",
  AIRTABLE_CLIENT_SECRET: "sandbox-airtable-client-secret",
};

export function sandboxCredentialVars() {
  return { ...SANDBOX_APP_CREDENTIALS };
}

// Secrets and optional variables are not in wrangler.toml, so `wrangler types` cannot see them.
// They are validated at use (worker/config.ts, worker/security/token-seal.ts, worker/platforms/credentials.ts).
interface AtelierSecrets {
  SESSION_SECRET: string;
  /** `kid:base64url(32 bytes)[,kid:…]`: AES-256-GCM keys sealing platform tokens; the first seals. */
  TOKEN_KEYS?: string;
  /** Public origin of the app when it differs from the request's (custom domain, proxy). */
  APP_ORIGIN?: string;
  /**
   * The origin social platforms fetch media from (signed `/m/<token>` URLs handed to Instagram, Facebook …).
   * Defaults to APP_ORIGIN; set it locally when the app is reached at another address from the sandbox.
   */
  MEDIA_ORIGIN?: string;
  /**
   * "true" once MEDIA_ORIGIN's domain is verified in TikTok's developer portal: TikTok videos are then
   * posted by PULL_FROM_URL (TikTok fetches the file) instead of chunked FILE_UPLOAD.
   */
  TIKTOK_PULL_FROM_URL?: string;
  /** Local development only: rewrites platform hosts to the sandbox (see worker/platforms/http.ts). */
  SANDBOX_ORIGIN?: string;
  META_APP_ID?: string;
  META_APP_SECRET?: string;
  /** The verify token Meta echoes when the webhook subscription is set up (`GET /webhooks/meta`). */
  META_WEBHOOK_VERIFY_TOKEN?: string;
  THREADS_APP_ID?: string;
  THREADS_APP_SECRET?: string;
  TIKTOK_CLIENT_KEY?: string;
  TIKTOK_CLIENT_SECRET?: string;
  LINKEDIN_CLIENT_ID?: string;
  LINKEDIN_CLIENT_SECRET?: string;
  GOOGLE_CLIENT_ID?: string;
  GOOGLE_CLIENT_SECRET?: string;
  AIRTABLE_CLIENT_ID?: string;
  AIRTABLE_CLIENT_SECRET?: string;
}
interface Env extends AtelierSecrets {}
declare namespace Cloudflare {
  interface Env extends AtelierSecrets {}
}

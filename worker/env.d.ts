// Secrets and optional variables are not in wrangler.toml, so `wrangler types` cannot see them.
// They are validated once at startup by worker/config.ts.
interface AtelierSecrets {
  SESSION_SECRET: string;
  /** Public origin of the app when it differs from the request's (custom domain, proxy). */
  APP_ORIGIN?: string;
  /** Local development only: rewrites platform hosts to the sandbox (see worker/platforms/http.ts). */
  SANDBOX_ORIGIN?: string;
}
interface Env extends AtelierSecrets {}
declare namespace Cloudflare {
  interface Env extends AtelierSecrets {}
}

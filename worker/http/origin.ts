import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./app-env";
import { ProblemError } from "./problems";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Origins allowed to send state-changing requests: the app's own, and APP_ORIGIN when configured. */
export function allowedOrigins(requestUrl: string, env: Env): Set<string> {
  const origins = new Set([new URL(requestUrl).origin]);
  if (env.APP_ORIGIN) origins.add(new URL(env.APP_ORIGIN).origin);
  return origins;
}

/**
 * CSRF defence in depth beside SameSite=Lax cookies: a mutating request that names a foreign
 * `Origin` (or that the browser marks cross-site) is refused before any handler runs. Requests with
 * neither header come from non-browser clients, which cannot carry a victim's cookies.
 */
export const originGuard = createMiddleware<AppEnv>(async (c, next) => {
  if (!SAFE_METHODS.has(c.req.method)) {
    const origin = c.req.header("Origin");
    const fetchSite = c.req.header("Sec-Fetch-Site");
    const foreign = origin !== undefined ? !allowedOrigins(c.req.url, c.env).has(origin) : fetchSite === "cross-site";
    if (foreign) {
      throw new ProblemError("foreign-origin", "This request came from another website, so it was refused to protect your account.");
    }
  }
  await next();
});

import { createMiddleware } from "hono/factory";
import { createDb } from "../db/client";
import { newId } from "../security/ids";
import type { AppEnv, Clock } from "./app-env";

/** Sets the request id (echoed in `X-Request-Id`), the clock and the database handle for every request. */
export function requestContext(clock: Clock) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const requestId = newId();
    c.set("requestId", requestId);
    c.set("clock", clock);
    c.set("db", createDb(c.env.DB));
    await next();
    c.header("X-Request-Id", requestId);
  });
}

/** The client's address as Cloudflare reports it (the header is set by the edge and cannot be forged through it). */
export function clientIp(headers: Headers): string | null {
  return headers.get("CF-Connecting-IP");
}

export function userAgent(headers: Headers): string | null {
  return headers.get("User-Agent")?.slice(0, 512) ?? null;
}

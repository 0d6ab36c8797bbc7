import { Hono } from "hono";
import { controlRoutes } from "./control";
import { PLATFORM_MODULES } from "./platforms";
import { linkedinCommentControlRoutes } from "./platforms/linkedin-comments";
import { inboxControlRoutes } from "./platforms/meta-inbox-control";
import { youtubeCommentControlRoutes } from "./platforms/youtube-comments";
import { youtubeControlRoutes } from "./platforms/youtube-upload";
import type { SandboxStore } from "./store/store";

/** `receivedAt`: real time (ms) the request arrived, before any injected delay: lateness is measured from it. */
export type SandboxEnv = { Variables: { store: SandboxStore; receivedAt: number } };

/** Which platform a host belongs to, for the call log and fault matching. */
export function platformOfHost(host: string): string {
  return PLATFORM_MODULES.find((m) => m.hosts.includes(host))?.platform ?? "unknown";
}

/**
 * Real platform paths under a host prefix (`/graph.facebook.com/v23.0/me`), every call logged, and
 * faults applied before (respond instead) or after (perform, then fail the response) the real handler.
 */
export function createSandboxApp(store: SandboxStore) {
  const app = new Hono<SandboxEnv>();
  app.use("*", async (c, next) => {
    c.set("store", store);
    c.set("receivedAt", Date.now());
    await next();
  });
  app.get("/healthz", (c) => c.json({ ok: true, service: "atelier-sandbox", platforms: PLATFORM_MODULES.map((m) => m.platform) }));
  app.route("/_sandbox", controlRoutes);
  app.route("/_sandbox/youtube", youtubeControlRoutes());
  app.route("/_sandbox", inboxControlRoutes());
  app.route("/_sandbox/events", linkedinCommentControlRoutes().route("/", youtubeCommentControlRoutes()));

  app.use("/:host/*", async (c, next) => {
    const url = new URL(c.req.url);
    const host = c.req.param("host");
    const platform = platformOfHost(host);
    const path = url.pathname.slice(host.length + 1);
    const fault = store.takeFault(platform, c.req.method, path);
    const hang = () => (fault && fault.delay_ms > 0 ? new Promise((r) => setTimeout(r, fault.delay_ms)) : undefined);
    if (fault && fault.mode === "respond") {
      // A hang before answering, without acting. Read the body the handler would have read, so
      // workerd does not log an unread request stream.
      await hang();
      await c.req.arrayBuffer().catch(() => undefined);
      c.res = faultResponse(fault);
    } else {
      await next();
      // "Commit then fail": the platform acted; its answer is late (hang) and/or lost (fault status).
      if (fault && fault.mode === "after") {
        await hang();
        c.res = faultResponse(fault);
      }
    }
    store.logCall({ platform, method: c.req.method, host, path, query: url.search, status: c.res.status, faultId: fault?.id ?? null });
  });
  for (const module of PLATFORM_MODULES) for (const host of module.hosts) app.route(`/${host}`, module.routes(host));

  app.notFound((c) => c.json({ error: { message: `The sandbox does not simulate ${c.req.method} ${new URL(c.req.url).pathname}.`, type: "SandboxNotFound" } }, 404));
  return app;
}

function faultResponse(fault: { status: number; body: string | null; headers: string | null }): Response {
  const headers = new Headers(fault.headers ? (JSON.parse(fault.headers) as Record<string, string>) : {});
  if (!headers.has("content-type")) headers.set("content-type", "application/json");
  return new Response(fault.body ?? "", { status: fault.status, headers });
}

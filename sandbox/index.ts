import { Hono } from "hono";

/**
 * The sandbox answers platform API paths under a host prefix, e.g. `/graph.facebook.com/v23.0/me`
 * for `https://graph.facebook.com/v23.0/me`. This first version only reports its health; each
 * platform's module is added by the connections issue.
 */
const app = new Hono();

app.get("/healthz", (c) => c.json({ ok: true, service: "atelier-sandbox", platforms: [] as string[] }));

app.notFound((c) =>
  c.json({ error: { message: `The sandbox does not simulate ${c.req.method} ${new URL(c.req.url).pathname} yet.`, type: "SandboxNotFound" } }, 404),
);

export default app;

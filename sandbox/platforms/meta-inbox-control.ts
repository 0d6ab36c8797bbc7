import { Hono } from "hono";
import type { SandboxEnv } from "../app";
import { actions } from "./meta-inbox-store";
import { CommentEventInput, MessageEventInput, personComments, personWrites } from "./meta-inbox-events";
import { scheduleNext, startTraffic, stopTraffic, TrafficInput, trafficProgress, trafficRuns } from "./meta-inbox-traffic";
import { webhookControlRoutes } from "./meta-webhooks";

/**
 * `/_sandbox` control calls for the inbox: people commenting and writing (each emits its webhook),
 * the traffic generator, what the app did (`GET /inbox`) and the webhook subscription, log and sink.
 */
export function inboxControlRoutes(): Hono<SandboxEnv> {
  return new Hono<SandboxEnv>()
    .route("/webhooks", webhookControlRoutes())
    .post("/events/comment", async (c) => {
      const parsed = CommentEventInput.safeParse(await c.req.json().catch(() => null));
      if (!parsed.success) return c.json({ error: parsed.error.issues }, 400);
      const result = await personComments(c.var.store, parsed.data);
      return result.ok ? c.json({ ...result.value, webhook: result.webhook }, 201) : c.json({ error: result.detail }, result.status);
    })
    .post("/events/message", async (c) => {
      const parsed = MessageEventInput.safeParse(await c.req.json().catch(() => null));
      if (!parsed.success) return c.json({ error: parsed.error.issues }, 400);
      const result = await personWrites(c.var.store, parsed.data);
      return result.ok ? c.json({ ...result.value, webhook: result.webhook }, 201) : c.json({ error: result.detail }, result.status);
    })
    .post("/events/traffic", async (c) => {
      const parsed = TrafficInput.safeParse(await c.req.json().catch(() => null));
      if (!parsed.success) return c.json({ error: parsed.error.issues }, 400);
      const started = startTraffic(c.var.store, parsed.data);
      if (!started.ok) return c.json({ error: started.detail }, 400);
      // Events are delivered by the alarm (real time) or when progress is read (sandbox time).
      scheduleNext(c.var.store);
      return c.json({ run: started.run }, 202);
    })
    .get("/events/traffic", (c) => c.json({ runs: trafficRuns(c.var.store) }))
    .get("/events/traffic/:id", async (c) => {
      const run = await trafficProgress(c.var.store, c.req.param("id"));
      return run ? c.json({ run, done: run.stopped || run.delivered + run.failed + run.notDelivered >= run.total }) : c.json({ error: "No such traffic run." }, 404);
    })
    .post("/events/traffic/:id/stop", (c) => {
      const run = stopTraffic(c.var.store, c.req.param("id"));
      return run ? c.json({ run }) : c.json({ error: "No such traffic run." }, 404);
    })
    .get("/inbox", (c) => {
      const list = actions(c.var.store, { platform: c.req.query("platform") ?? null, account: c.req.query("account") ?? null });
      const action = c.req.query("action");
      return c.json({ actions: action ? list.filter((a) => a.action === action) : list });
    });
}

import { createApp } from "./app";
import { runCron } from "./cron";
import { consumeBatch, QUEUE_HANDLERS } from "./queues/consumer";

export { WorkspaceDO } from "../durable-objects/workspace";

const app = createApp();

export default {
  fetch: app.fetch,

  async queue(batch, env, ctx) {
    const handlers = QUEUE_HANDLERS[batch.queue];
    if (!handlers) {
      console.error(JSON.stringify({ msg: "batch from an unknown queue; retrying later", queue: batch.queue }));
      batch.retryAll({ delaySeconds: 60 });
      return;
    }
    await consumeBatch(batch.queue, batch, handlers, env, ctx);
  },

  async scheduled(controller, env, _ctx) {
    const startedAt = Date.now();
    const report = await runCron(env, controller.scheduledTime);
    // Date.now() moves with I/O in Workers, so `tookMs` is the run's wall time spent waiting on D1, queues and platforms.
    console.log(JSON.stringify({ msg: "cron done", cron: controller.cron, scheduledTime: new Date(controller.scheduledTime).toISOString(), tookMs: Date.now() - startedAt, ...report }));
    // The run is reported as failed (Cloudflare's cron history, the local trigger's outcome) when a part threw.
    if (report.failed.length > 0) throw new Error(`cron parts failed: ${report.failed.join(", ")}`);
  },
} satisfies ExportedHandler<Env>;

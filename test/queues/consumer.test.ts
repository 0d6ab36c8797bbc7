import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../worker/index";
import { retryDelaySeconds } from "../../worker/domain/backoff";
import { describe, expect, it } from "vitest";
import { consumeBatch } from "../../worker/queues/consumer";
import type { QueueHandler } from "../../worker/queues/envelope";

const message = (id: string, body: unknown, attempts = 1) => ({ id, timestamp: Date.UTC(2026, 10, 29), attempts, body });

describe("queue consumers", () => {
  it("acks messages that can never succeed (bad envelope, unknown kind) instead of retrying them forever", async () => {
    const batch = createMessageBatch("publish", [
      message("not-an-object", "hello"),
      message("wrong-version", { v: 2, kind: "publish.prepare", workspaceId: "w1" }),
      message("no-handler", { v: 1, kind: "publish.prepare", workspaceId: "w1", targetId: "t1" }),
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(["no-handler", "not-an-object", "wrong-version"]);
    expect(result.retryMessages).toEqual([]);
    expect(result.retryBatch.retry).toBe(false);
  });

  it("acks or retries each message on its own, with the delay the handler asks for or backoff when it throws", async () => {
    const seen: string[] = [];
    const handlers = new Map<string, QueueHandler>([
      ["ok", async (m) => (seen.push(m.workspaceId ?? ""), "ack")],
      ["later", async () => ({ retryAfterSeconds: 42 })],
      ["boom", async () => { throw new Error("platform down"); }],
    ]);
    const batch = createMessageBatch("publish", [
      message("a", { v: 1, kind: "ok", workspaceId: "w-a" }),
      message("b", { v: 1, kind: "later", workspaceId: "w-b" }),
      message("c", { v: 1, kind: "boom", workspaceId: "w-c" }, 3),
    ]);
    const ctx = createExecutionContext();
    await consumeBatch("publish", batch, handlers, env);
    const result = await getQueueResult(batch, ctx);
    expect(seen).toEqual(["w-a"]);
    expect(result.explicitAcks).toEqual(["a"]);
    // The test harness records which messages were retried, not their delays (checked below as a pure function).
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["b", "c"]);
  });

  it("backs off exponentially from the delivery attempt, capped at five minutes", () => {
    expect([1, 2, 3, 8, 9, 20].map(retryDelaySeconds)).toEqual([2, 4, 8, 256, 300, 300]);
  });

  it("consumes the inbound queue and both dead-letter queues through the real entry point", async () => {
    for (const queue of ["inbound", "publish-dlq", "inbound-dlq"]) {
      const batch = createMessageBatch(queue, [message(`${queue}-1`, { v: 1, kind: "unknown", workspaceId: "w" })]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env, ctx);
      expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual([`${queue}-1`]);
    }
  });
});

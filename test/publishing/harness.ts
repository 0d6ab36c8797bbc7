import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { expect } from "vitest";
import type { LiveEvent } from "../../worker/contracts/live";
import { createDb } from "../../worker/db/client";
import { mediaObjectKey } from "../../worker/media/keys";
import { runTarget, type EngineDeps } from "../../worker/publishing/engine";
import { publishMessage, type PublishMessage } from "../../worker/publishing/messages";
import type { WorkspaceDO } from "../../worker/index";
import type { Disposition } from "../../worker/queues/envelope";
import { makeClient, TestClock } from "../helpers/client";
import { SANDBOX } from "../helpers/connect";
import { jpeg } from "../media/fixtures";
import { channel, ownerWithWorkspace, seedMedia } from "../posts/fixtures";

/**
 * Engine tests run at an instant two days after the real one, so the real alarms of the workspace
 * (armed at due − lead in real time) never fire while a test drives the same targets by hand. The
 * sandbox's clock is moved to the same instant, so what the platforms stamp (created_time, container
 * ages) agrees with the app's commit markers, as it does in production.
 */
export async function futureClock(): Promise<TestClock> {
  const sandboxNow = await advanceSandbox(0);
  const start = Math.ceil(Math.max(Date.now() + 2 * 86_400_000, sandboxNow) / 60_000) * 60_000;
  await advanceSandbox(start - sandboxNow);
  return new TestClock(start);
}

/** The engine with injected time: waiting advances the clock, re-sent messages and live events are collected. */
export class EngineHarness {
  readonly sent: { message: PublishMessage; delaySeconds: number }[] = [];
  readonly events: LiveEvent[] = [];
  private owners = 0;
  constructor(readonly clock: TestClock, private readonly extra: Partial<EngineDeps> = {}) {}

  deps(): EngineDeps {
    this.owners += 1;
    return {
      env,
      db: createDb(env.DB),
      now: this.clock.read,
      wait: async (ms) => this.clock.advance(ms),
      owner: `test-consumer-${this.owners}`,
      send: async (message, delaySeconds) => void this.sent.push({ message, delaySeconds }),
      live: async (_ws, event) => void this.events.push(event),
      random: () => 0.5,
      ...this.extra,
    };
  }

  /**
   * One delivery. The sandbox's clock is first brought up to the injected one (the platforms stamp
   * creation times that reconciling compares with the commit marker, as real clocks agree in production).
   */
  async run(message: PublishMessage, attempts = 1): Promise<Disposition> {
    await syncSandboxClock(this.clock.now);
    return runTarget(this.deps(), message, attempts);
  }

  /**
   * Delivers a message and everything it leads to (re-armed polls, a return nearer the due time,
   * retries), advancing the injected clock by each delay, until it is acked with nothing pending.
   */
  async settle(message: PublishMessage, options: { onWaiting?: () => Promise<void>; maxSteps?: number } = {}): Promise<Disposition[]> {
    const seen: Disposition[] = [];
    let pending: { message: PublishMessage; attempts: number }[] = [{ message, attempts: 1 }];
    for (let step = 0; pending.length && step < (options.maxSteps ?? 30); step++) {
      const next = pending.shift()!;
      const disposition = await this.run(next.message, next.attempts);
      seen.push(disposition);
      if (disposition !== "ack") {
        this.clock.advance(disposition.retryAfterSeconds * 1000);
        pending.push({ message: next.message, attempts: next.attempts + 1 });
      }
      for (const sent of this.sent.splice(0)) {
        this.clock.advance(sent.delaySeconds * 1000);
        await options.onWaiting?.();
        pending.push({ message: sent.message, attempts: sent.message.attempt ?? 1 });
      }
    }
    return seen;
  }

  states(targetId: string): string[] {
    return this.events.filter((e): e is Extract<LiveEvent, { kind: "target.changed" }> => e.kind === "target.changed" && e.targetId === targetId).map((e) => e.state);
  }
}

export type TargetLedger = { id: string; state: string; revision: number; due_at: number | null; remote_id: string | null; remote_url: string | null; status_detail: string | null; commit_started_at: number | null; lease_owner: string | null; lease_expires_at: number | null; checkpoint: string; next_attempt_at: number | null; error_code: string | null };

export async function ledger(targetId: string): Promise<TargetLedger> {
  const row = await env.DB.prepare("SELECT * FROM post_targets WHERE id = ?").bind(targetId).first<TargetLedger>();
  if (!row) throw new Error(`no target ${targetId}`);
  return row;
}

export async function attemptsOf(targetId: string): Promise<{ step: string; outcome: string; http_status: number | null; platform_code: string | null; message: string | null }[]> {
  return (await env.DB.prepare("SELECT step, outcome, http_status, platform_code, message FROM publish_attempts WHERE target_id = ? ORDER BY started_at, rowid").bind(targetId).all()).results as never;
}

export async function openNotifications(workspaceId: string): Promise<{ id: string; kind: string; title: string; body: string; target_id: string }[]> {
  return (await env.DB.prepare("SELECT * FROM notifications WHERE workspace_id = ? AND resolved_at IS NULL ORDER BY created_at").bind(workspaceId).all()).results as never;
}

export function hub(workspaceId: string) {
  return env.WORKSPACE.get(env.WORKSPACE.idFromName(workspaceId));
}

/** Runs the workspace object's alarm logic at an injected instant (the real alarm uses real time). */
export function drainAt(workspaceId: string, now: number) {
  return runInDurableObject(hub(workspaceId), (instance: WorkspaceDO) => instance.drainSchedule(now));
}

export function scheduledRows(workspaceId: string) {
  return runInDurableObject(hub(workspaceId), (instance: WorkspaceDO) => instance.scheduledTargets());
}

export type SandboxPost = { id: string; platform: string; account_id: string; kind: string; text: string; permalink: string; received_at: number };

export async function sandboxPosts(platform: string, account?: string): Promise<SandboxPost[]> {
  const url = `${SANDBOX}/_sandbox/posts?platform=${platform}${account ? `&account=${account}` : ""}`;
  return ((await (await fetch(url)).json()) as { posts: SandboxPost[] }).posts;
}

export async function fault(spec: Record<string, unknown>): Promise<number> {
  const response = await fetch(`${SANDBOX}/_sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ platform: "meta", ...spec }) });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: number }).id;
}

export async function clearFaults(): Promise<void> {
  await fetch(`${SANDBOX}/_sandbox/faults`, { method: "DELETE" });
}

/** Moves the sandbox's clock forward to `now` when it is behind (it never goes back). */
export async function syncSandboxClock(now: number): Promise<void> {
  const sandboxNow = await advanceSandbox(0);
  if (sandboxNow < now) await advanceSandbox(now - sandboxNow);
}

/** Moves the sandbox's clock forward; returns its new time. */
export async function advanceSandbox(ms: number): Promise<number> {
  const response = await fetch(`${SANDBOX}/_sandbox/clock`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ advanceMs: Math.max(0, Math.round(ms)) }) });
  return ((await response.json()) as { now: number }).now;
}

export async function sandboxSettings(settings: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${SANDBOX}/_sandbox/publishing/settings`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(settings) });
  expect(response.ok).toBe(true);
}

/** A JPEG in the library, really stored in R2 (platforms fetch it through its signed URL). */
export async function storedJpeg(workspaceId: string, width = 1080, height = 1350): Promise<string> {
  const bytes = jpeg(width, height);
  const id = await seedMedia(workspaceId, { kind: "image", mimeType: "image/jpeg", width, height, sizeBytes: bytes.byteLength });
  await env.MEDIA.put(mediaObjectKey(workspaceId, id), bytes);
  return id;
}

/** A workspace with a Facebook Page and an Instagram account, at a clock two days ahead of real time. */
export async function publishingWorkspace(platforms: string[] = ["facebook", "instagram"]) {
  const clock = await futureClock();
  const base = await ownerWithWorkspace(clock);
  const channels: Record<string, string> = {};
  for (const p of platforms) channels[p] = await channel(base.client, base.owner, base.workspace.id, p);
  const externalIds: Record<string, string> = {};
  for (const p of platforms) {
    const row = await env.DB.prepare("SELECT external_id FROM connections WHERE id = ?").bind(channels[p]).first<{ external_id: string }>();
    externalIds[p] = row?.external_id ?? "";
  }
  return { ...base, channels, externalIds, harness: new EngineHarness(clock) };
}

/** The wall-clock string of an instant in UTC (`scheduledLocal` for posts in the UTC zone). */
export function utcLocal(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

export type CreatedPost = { id: string; revision: number; targets: { id: string; connectionId: string; state: string; revision?: number }[] };

export async function schedulePost(client: ReturnType<typeof makeClient>, cookie: string, workspaceId: string, body: { text: string; dueAt: number; targets: { connectionId: string; format: string; options?: Record<string, unknown> }[]; mediaIds?: string[]; firstComment?: string | null }): Promise<CreatedPost> {
  const response = await client.call("POST", `/api/workspaces/${workspaceId}/posts`, {
    cookie,
    body: { baseText: body.text, mediaIds: body.mediaIds ?? [], status: "scheduled", scheduledLocal: utcLocal(body.dueAt), timezone: "UTC", firstComment: body.firstComment ?? null, targets: body.targets.map((t) => ({ options: {}, ...t })) },
  });
  const text = await response.text();
  expect(response.status, text).toBe(201);
  return JSON.parse(text) as CreatedPost;
}

export async function messageFor(targetId: string, workspaceId: string): Promise<PublishMessage> {
  return publishMessage(workspaceId, targetId, (await ledger(targetId)).revision);
}

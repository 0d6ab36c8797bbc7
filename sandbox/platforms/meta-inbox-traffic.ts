import { z } from "zod";
import type { SandboxStore } from "../store/store";
import { accountExists, personComments, personWrites } from "./meta-inbox-events";
import { nextSeq } from "./meta-publish-common";

/**
 * The traffic generator: N comments or messages per second for a duration, for demos and benchmarks.
 * Event i is due at `startedAt + i / perSecond` in sandbox time. A pump emits every due event not yet
 * claimed; the Durable Object's alarm runs it in real time, and reading a run's progress runs it too
 * (so a test that advances the sandbox clock sees the events without waiting). Events are claimed
 * (the `emitted` counter written) before any delivery starts, so an alarm and a read never send the
 * same event twice.
 */
export const TrafficInput = z.object({
  kind: z.enum(["comment", "message"]),
  platform: z.enum(["facebook", "instagram"]),
  account: z.string().min(1),
  post: z.string().min(1).optional(),
  perSecond: z.number().positive().max(1000),
  durationSeconds: z.number().positive().max(3600),
  /** `{n}` becomes the event's number (1-based), `{name}` the author's name. */
  textPattern: z.string().min(1).max(1000).default("Traffic {n} from {name}"),
});
export type TrafficInput = z.infer<typeof TrafficInput>;

export type TrafficRun = TrafficInput & {
  id: string;
  seq: number;
  startedAt: number;
  total: number;
  emitted: number;
  delivered: number;
  failed: number;
  notDelivered: number;
  stopped: boolean;
  statuses: Record<string, number>;
  maxDeliveryMs: number;
  totalDeliveryMs: number;
  lastReason: string | null;
};

const RUN_ACCOUNT = "traffic";
const AUTHORS = 25;
const CONCURRENCY = 16;
const MIN_ALARM_STEP_MS = 20;

/** The DO's alarm, registered by the Durable Object that owns the store (state.ts). */
let setAlarm: ((atMs: number) => void) | null = null;
export function registerTrafficAlarm(schedule: (atMs: number) => void): void {
  setAlarm = schedule;
}

/** Deliveries in flight per run, so a progress read can wait for what it (or the alarm) started. */
const inFlight = new Map<string, Set<Promise<void>>>();

export function trafficRun(store: SandboxStore, id: string): TrafficRun | null {
  const object = store.publishing.object<TrafficRun>(id);
  return object && object.kind === "traffic_run" ? object.data : null;
}

function save(store: SandboxStore, run: TrafficRun): void {
  store.publishing.updateObject(run.id, run);
}

export function startTraffic(store: SandboxStore, input: TrafficInput): { ok: true; run: TrafficRun } | { ok: false; detail: string } {
  if (!accountExists(input.platform, input.account)) return { ok: false, detail: `${input.account} is not a sandbox ${input.platform === "facebook" ? "Page" : "Instagram account"}.` };
  if (input.kind === "comment") {
    const post = input.post ? store.publishing.post(input.post) : null;
    if (!post || post.platform !== input.platform || post.account_id !== input.account || post.deleted_at !== null) return { ok: false, detail: "Comment traffic needs `post`: a live post of that account held by the sandbox." };
  }
  const seq = nextSeq(store);
  const id = `traffic_${String(seq).padStart(10, "0")}`;
  const total = Math.max(1, Math.round(input.perSecond * input.durationSeconds));
  const run: TrafficRun = { ...input, id, seq, startedAt: store.now(), total, emitted: 0, delivered: 0, failed: 0, notDelivered: 0, stopped: false, statuses: {}, maxDeliveryMs: 0, totalDeliveryMs: 0, lastReason: null };
  store.publishing.createObject({ id, platform: "meta", accountId: RUN_ACCOUNT, kind: "traffic_run", data: run });
  return { ok: true, run };
}

export function stopTraffic(store: SandboxStore, id: string): TrafficRun | null {
  const run = trafficRun(store, id);
  if (!run) return null;
  run.stopped = true;
  save(store, run);
  return run;
}

const dueCount = (run: TrafficRun, now: number) => (run.stopped ? run.emitted : Math.min(run.total, Math.floor(((now - run.startedAt) * run.perSecond) / 1000) + 1));

/** Authors rotate through a small crowd with stable, platform-shaped ids per run. */
function author(run: TrafficRun, index: number): { id: string; name: string } {
  const k = index % AUTHORS;
  const id = run.platform === "facebook" ? `7099${String(run.seq % 1_000_000).padStart(6, "0")}${String(k).padStart(6, "0")}` : `178419${String(run.seq % 100_000).padStart(5, "0")}${String(k).padStart(6, "0")}`;
  return { id, name: `Visitor ${k + 1}` };
}

async function emitOne(store: SandboxStore, runId: string, index: number): Promise<void> {
  const run = trafficRun(store, runId);
  if (!run) return;
  const who = author(run, index);
  const text = run.textPattern.replaceAll("{n}", String(index + 1)).replaceAll("{name}", who.name);
  const started = Date.now();
  const result = run.kind === "comment" ? await personComments(store, { platform: run.platform, account: run.account, post: run.post ?? "", author: who, text }) : await personWrites(store, { platform: run.platform, account: run.account, author: who, text, attachments: [] });
  const ms = Date.now() - started;
  // Re-read: other deliveries of this run finished while this one was awaited.
  const latest = trafficRun(store, runId);
  if (!latest) return;
  if (!result.ok) {
    latest.notDelivered += 1;
    latest.lastReason = result.detail;
  } else if (!result.webhook.delivered) {
    latest.notDelivered += 1;
    latest.lastReason = result.webhook.reason;
  } else {
    if (result.webhook.ok) latest.delivered += 1;
    else latest.failed += 1;
    const key = String(result.webhook.status ?? "network-error");
    latest.statuses[key] = (latest.statuses[key] ?? 0) + 1;
    latest.maxDeliveryMs = Math.max(latest.maxDeliveryMs, ms);
    latest.totalDeliveryMs += ms;
  }
  save(store, latest);
}

/** Emits every due, unclaimed event of the run (bounded concurrency); resolves when they are delivered. */
async function pumpRun(store: SandboxStore, runId: string): Promise<void> {
  const run = trafficRun(store, runId);
  if (!run) return;
  const due = dueCount(run, store.now());
  const from = run.emitted;
  if (due > from) {
    run.emitted = due;
    save(store, run);
  }
  const pending = inFlight.get(runId) ?? new Set<Promise<void>>();
  inFlight.set(runId, pending);
  for (let start = from; start < due; start += CONCURRENCY) {
    const batch = Array.from({ length: Math.min(CONCURRENCY, due - start) }, (_, k) => emitOne(store, runId, start + k));
    const all = Promise.all(batch).then(() => undefined);
    pending.add(all);
    await all.finally(() => pending.delete(all));
  }
}

/** Pumps one run and waits for every delivery in flight for it (its own and the alarm's). */
export async function trafficProgress(store: SandboxStore, id: string): Promise<TrafficRun | null> {
  if (!trafficRun(store, id)) return null;
  await pumpRun(store, id);
  await Promise.all([...(inFlight.get(id) ?? [])]);
  scheduleNext(store);
  const run = trafficRun(store, id);
  if (run && (run.stopped || run.emitted >= run.total) && inFlight.get(id)?.size === 0) inFlight.delete(id);
  return run;
}

/** Every run, newest first, as stored (reading the list does not pump). */
export function trafficRuns(store: SandboxStore): TrafficRun[] {
  return store.publishing.objectsOf("meta", RUN_ACCOUNT, "traffic_run").map((o) => o.data as TrafficRun).sort((a, b) => b.seq - a.seq);
}

function activeRuns(store: SandboxStore): TrafficRun[] {
  return trafficRuns(store).filter((r) => !r.stopped && r.emitted < r.total);
}

/** Arms the alarm for the earliest next event of any active run (real time = sandbox time minus the clock offset). */
export function scheduleNext(store: SandboxStore): void {
  const runs = activeRuns(store);
  if (runs.length === 0 || !setAlarm) return;
  const nextDue = Math.min(...runs.map((r) => r.startedAt + (r.emitted * 1000) / r.perSecond));
  setAlarm(Date.now() + Math.max(MIN_ALARM_STEP_MS, nextDue - store.now()));
}

/** The alarm: claim every due event (synchronously, as each pump starts), re-arm, then finish delivering. */
export async function pumpTraffic(store: SandboxStore): Promise<void> {
  const work = activeRuns(store).map((r) => pumpRun(store, r.id));
  scheduleNext(store);
  await Promise.all(work);
}

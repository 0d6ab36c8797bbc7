import { PublishMessage } from "../../worker/publishing/messages";

export type ScheduleEntry = { targetId: string; workspaceId: string; dueAt: number; revision: number; leadMs: number };
export type DrainReport = { enqueued: number; nextAlarmAt: number | null };

type Row = { target_id: string; workspace_id: string; due_at: number; revision: number; lead_ms: number; start_at: number };

/** `Queue.sendBatch` takes at most 100 messages per call. */
const SEND_BATCH = 100;
/**
 * Many targets due in the same second cannot all be prepared in their format's lead time, so each
 * one added to a crowded second starts a little earlier: 40 ms per target already due that second,
 * in whole seconds (500 posts due at 14:00:00 start preparing over the preceding 20 s).
 */
const CROWD_MS_PER_TARGET = 40;

/**
 * The workspace's publish schedule in the object's SQLite storage: rows `(target, due, revision, lead)`
 * and ONE alarm at the earliest `due − lead`. The alarm only enqueues ids to the publish queue (the
 * object never calls a platform), deletes what it handed over, and re-arms last, so an alarm that
 * throws half-way is retried by the runtime and re-sends rows it had not yet deleted: the consumer is
 * idempotent, so a duplicate costs nothing while a loss would cost a post.
 */
export class Schedule {
  constructor(
    private readonly sql: SqlStorage,
    private readonly storage: DurableObjectStorage,
    private readonly queue: Queue<PublishMessage>,
  ) {}

  /** Adds or moves targets. An entry older than the row already held (lower revision) is ignored. */
  async upsert(entries: ScheduleEntry[]): Promise<number> {
    let changed = 0;
    for (const e of entries) {
      const second = e.dueAt - (e.dueAt % 1000);
      const crowd = this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM schedule WHERE due_at >= ? AND due_at < ? AND target_id != ?`, second, second + 1000, e.targetId).one().n;
      const startAt = e.dueAt - e.leadMs - Math.floor((crowd * CROWD_MS_PER_TARGET) / 1000) * 1000;
      const cursor = this.sql.exec(
        `INSERT INTO schedule (target_id, workspace_id, due_at, revision, lead_ms, start_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(target_id) DO UPDATE SET due_at = excluded.due_at, revision = excluded.revision, lead_ms = excluded.lead_ms, start_at = excluded.start_at
         WHERE excluded.revision >= schedule.revision`,
        e.targetId, e.workspaceId, e.dueAt, e.revision, e.leadMs, startAt,
      );
      changed += cursor.rowsWritten;
    }
    await this.arm();
    return changed;
  }

  /** Takes targets off the schedule (cancelled, deleted, or about to be re-added with a new revision). */
  async remove(targetIds: string[]): Promise<number> {
    let removed = 0;
    for (const id of targetIds) removed += this.sql.exec(`DELETE FROM schedule WHERE target_id = ?`, id).rowsWritten;
    await this.arm();
    return removed;
  }

  entries(): ScheduleEntry[] {
    return this.sql
      .exec<Row>(`SELECT * FROM schedule ORDER BY start_at, target_id`)
      .toArray()
      .map((r) => ({ targetId: r.target_id, workspaceId: r.workspace_id, dueAt: r.due_at, revision: r.revision, leadMs: r.lead_ms }));
  }

  /** Hands every row whose start time has come to the publish queue, then re-arms for the next one. */
  async drain(now: number): Promise<DrainReport> {
    const due = this.sql.exec<Row>(`SELECT * FROM schedule WHERE start_at <= ? ORDER BY start_at, target_id`, now).toArray();
    for (let i = 0; i < due.length; i += SEND_BATCH) {
      const part = due.slice(i, i + SEND_BATCH);
      await this.queue.sendBatch(part.map((r) => ({ body: PublishMessage.parse({ v: 1, kind: "publish.target", workspaceId: r.workspace_id, targetId: r.target_id, revision: r.revision }), contentType: "json" as const })));
      // Only rows still at the revision that was sent are done; a row moved meanwhile stays scheduled.
      for (const r of part) this.sql.exec(`DELETE FROM schedule WHERE target_id = ? AND revision = ?`, r.target_id, r.revision);
    }
    const nextAlarmAt = await this.arm();
    return { enqueued: due.length, nextAlarmAt };
  }

  /** One alarm at the earliest start time (or none). Always called last. */
  private async arm(): Promise<number | null> {
    const next = this.sql.exec<{ at: number | null }>(`SELECT MIN(start_at) AS at FROM schedule`).one().at;
    if (next === null) {
      await this.storage.deleteAlarm();
      return null;
    }
    const current = await this.storage.getAlarm();
    if (current !== next) await this.storage.setAlarm(next);
    return next;
  }
}

import { LiveEvent } from "../../worker/contracts/live";

export type LoggedEvent = { seq: number; at: number; event: LiveEvent };

/** How many recent events a reconnecting client can catch up on before it must resync. */
export const RETAINED_EVENTS = 1000;

/** The workspace's numbered event history: sequence numbers only grow, even across trims and restarts. */
export class EventLog {
  constructor(private readonly sql: SqlStorage, private readonly retain = RETAINED_EVENTS) {}

  append(event: LiveEvent, at: number): LoggedEvent {
    const { seq } = this.sql.exec<{ seq: number }>(`INSERT INTO events (at, body) VALUES (?, ?) RETURNING seq`, at, JSON.stringify(event)).one();
    if (seq > this.retain) this.sql.exec(`DELETE FROM events WHERE seq <= ?`, seq - this.retain);
    return { seq, at, event };
  }

  latestSeq(): number {
    const row = this.sql.exec<{ seq: number }>(`SELECT seq FROM sqlite_sequence WHERE name = 'events'`).toArray()[0];
    return row?.seq ?? 0;
  }

  /** Events after `since`, or null when some of them were already trimmed (or `since` is from the future). */
  after(since: number): LoggedEvent[] | null {
    const latest = this.latestSeq();
    if (since > latest) return null;
    if (since === latest) return [];
    const oldest = this.sql.exec<{ seq: number | null }>(`SELECT MIN(seq) AS seq FROM events`).one().seq;
    if (oldest === null || since < oldest - 1) return null;
    const rows = this.sql.exec<{ seq: number; at: number; body: string }>(`SELECT seq, at, body FROM events WHERE seq > ? ORDER BY seq`, since).toArray();
    const events: LoggedEvent[] = [];
    for (const row of rows) {
      const parsed = LiveEvent.safeParse(JSON.parse(row.body));
      if (parsed.success) events.push({ seq: row.seq, at: row.at, event: parsed.data });
    }
    return events;
  }
}

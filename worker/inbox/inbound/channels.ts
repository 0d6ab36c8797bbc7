import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../../db/client";
import { connections } from "../../db/schema";
import type { InboundChannel } from "./types";

/** Which connected platform a webhook object speaks for. */
const PLATFORM_BY_OBJECT: Record<string, InboundChannel["platform"]> = { page: "facebook", instagram: "instagram" };

/** D1 binds at most 100 parameters per statement: ids are looked up in slices well under that. */
const IDS_PER_QUERY = 90;

type Wanted = { platform: InboundChannel["platform"]; externalId: string };
const keyOf = (w: Wanted) => `${w.platform}:${w.externalId}`;

/**
 * The active channels for several Page or Instagram ids at once: every workspace that connected the
 * account (the same Page may be connected in several workspaces, each gets its own copy).
 * Disconnected or broken connections receive nothing.
 */
async function loadChannels(db: Database, wanted: Wanted[]): Promise<Map<string, InboundChannel[]>> {
  const found = new Map<string, InboundChannel[]>();
  for (const platform of ["facebook", "instagram"] as const) {
    const ids = [...new Set(wanted.filter((w) => w.platform === platform).map((w) => w.externalId))];
    for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
      const rows = await db
        .select({ connectionId: connections.id, workspaceId: connections.workspaceId, externalId: connections.externalId })
        .from(connections)
        .where(and(eq(connections.platform, platform), inArray(connections.externalId, ids.slice(i, i + IDS_PER_QUERY)), eq(connections.status, "active")));
      for (const row of rows) {
        const key = keyOf({ platform, externalId: row.externalId });
        found.set(key, [...(found.get(key) ?? []), { ...row, platform }]);
      }
    }
  }
  return found;
}

/**
 * Looks channels up for the entries of one queue batch with one query: the batch's handlers run side
 * by side and each asks for its entry's channels before its first await, so the asks made in the same
 * turn are collected and answered together (a later ask starts another lookup). Entries that match no
 * channel are counted, to be logged once for the batch.
 */
export class ChannelDirectory {
  private readonly lookups = new Map<string, Promise<InboundChannel[]>>();
  private collecting: { wanted: Map<string, Wanted>; result: Promise<Map<string, InboundChannel[]>> } | null = null;
  readonly dropped: string[] = [];

  constructor(private readonly db: Database) {}

  channelsFor(object: string, entryId: string): Promise<InboundChannel[]> {
    const platform = PLATFORM_BY_OBJECT[object];
    if (!platform) return Promise.resolve([]);
    const wanted = { platform, externalId: entryId };
    const key = keyOf(wanted);
    const known = this.lookups.get(key);
    if (known) return known;
    if (!this.collecting) {
      const collected = new Map<string, Wanted>();
      // Runs after the current turn: every handler of the batch has asked by then.
      const result = Promise.resolve().then(() => {
        this.collecting = null;
        return loadChannels(this.db, [...collected.values()]);
      });
      this.collecting = { wanted: collected, result };
    }
    this.collecting.wanted.set(key, wanted);
    const lookup = this.collecting.result.then((found) => found.get(key) ?? []);
    // A failed lookup is not remembered: the retried message asks again.
    lookup.catch(() => this.lookups.delete(key));
    this.lookups.set(key, lookup);
    return lookup;
  }

  /** An entry for an id no active channel has (a Page disconnected since, or never connected here). */
  noteDropped(object: string, entryId: string): void {
    this.dropped.push(`${object}:${entryId}`);
  }

  /** One log line for the entries dropped so far, then forgets them. */
  logDropped(): void {
    if (this.dropped.length === 0) return;
    const entries = this.dropped.splice(0);
    console.warn(JSON.stringify({ msg: "meta webhook entries dropped: no active channel", count: entries.length, entries: [...new Set(entries)].slice(0, 20) }));
  }
}

import type { ServerFrame } from "../../worker/contracts/live";
import type { LoggedEvent } from "./event-log";

/** Events published within this long of a frame going out share the next frame. */
export const BATCH_WINDOW_MS = 50;
/** Keeps one frame well under the client's comfort zone even when a burst piles up. */
export const MAX_EVENTS_PER_FRAME = 200;

/**
 * Fans sequenced events out without adding latency to a lone one: when idle, an event is sent at
 * once and opens a 50 ms window; events arriving inside the window are held and sent together when it
 * ends (which opens another window, so a sustained burst goes out at most every 50 ms). The window
 * is an in-memory timer: it only delays delivery, never the event log, so an eviction loses nothing a
 * client cannot recover with `?since`.
 */
export class EventBatcher {
  private pending: LoggedEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly broadcast: (frame: string) => void,
    private readonly windowMs = BATCH_WINDOW_MS,
  ) {}

  push(event: LoggedEvent): void {
    this.pushAll([event]);
  }

  /**
   * Events that belong together (a new message and its thread's change) go out as one frame: at once
   * when idle, otherwise with whatever the open window holds. Sending them one by one would put the
   * second behind the first's window.
   */
  pushAll(events: LoggedEvent[]): void {
    if (events.length === 0) return;
    if (this.timer === null) {
      for (let i = 0; i < events.length; i += MAX_EVENTS_PER_FRAME) this.broadcast(encode(events.slice(i, i + MAX_EVENTS_PER_FRAME)));
      this.openWindow();
    } else {
      this.pending.push(...events);
    }
  }

  /** Sends what is held now (before a new socket's hello, so its snapshot and the stream line up). */
  flush(): void {
    const held = this.pending;
    this.pending = [];
    for (let i = 0; i < held.length; i += MAX_EVENTS_PER_FRAME) this.broadcast(encode(held.slice(i, i + MAX_EVENTS_PER_FRAME)));
  }

  private openWindow(): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.pending.length === 0) return;
      this.flush();
      this.openWindow();
    }, this.windowMs);
  }
}

/** One event keeps the plain `event` frame; several become one `events` frame, in sequence order. */
export function encode(events: LoggedEvent[]): string {
  const [only] = events;
  if (events.length === 1 && only) return JSON.stringify({ type: "event", seq: only.seq, at: only.at, event: only.event } satisfies ServerFrame);
  return JSON.stringify({ type: "events", events: events.map((e) => ({ seq: e.seq, at: e.at, event: e.event })) } satisfies ServerFrame);
}

import { expect } from "vitest";
import { ServerFrame } from "../../worker/contracts/live";
import { ORIGIN, type Client, type TestUser } from "./client";

type Frame = ServerFrame;

/** A connected test socket whose frames are parsed with the same zod union the UI uses. */
export class LiveSocket {
  private readonly frames: Frame[] = [];
  private readonly waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  private consumed = 0;
  closed: { code: number; reason: string } | null = null;
  private closeWaiters: ((c: { code: number; reason: string }) => void)[] = [];

  constructor(readonly socket: WebSocket) {
    socket.addEventListener("message", (event) => {
      const parsed = ServerFrame.safeParse(JSON.parse(String(event.data)));
      if (!parsed.success) throw new Error(`server sent an invalid frame: ${String(event.data)}`);
      // A batched `events` frame is seen here as its `event` frames, so tests wait for events one by one.
      const frames: Frame[] = parsed.data.type === "events" ? parsed.data.events.map((e) => ({ type: "event", ...e })) : [parsed.data];
      for (const frame of frames) {
        this.frames.push(frame);
        for (const waiter of [...this.waiters]) {
          if (waiter.match(frame)) {
            this.waiters.splice(this.waiters.indexOf(waiter), 1);
            waiter.resolve(frame);
          }
        }
      }
    });
    socket.addEventListener("close", (event) => {
      this.closed = { code: event.code, reason: event.reason };
      for (const resolve of this.closeWaiters) resolve(this.closed);
    });
  }

  /** Every frame received so far, in order. */
  all(): Frame[] {
    return [...this.frames];
  }

  /** The next frame (after those already returned by `next`) matching `match`. */
  next<T extends Frame>(match: (f: Frame) => f is T): Promise<T>;
  next(match?: (f: Frame) => boolean): Promise<Frame>;
  next(match: (f: Frame) => boolean = () => true): Promise<Frame> {
    for (let i = this.consumed; i < this.frames.length; i++) {
      const frame = this.frames[i] as Frame;
      if (match(frame)) {
        this.consumed = i + 1;
        return Promise.resolve(frame);
      }
    }
    return new Promise((resolve) => {
      this.waiters.push({
        match,
        resolve: (f) => {
          this.consumed = this.frames.indexOf(f) + 1;
          resolve(f);
        },
      });
    });
  }

  event(kind: string): Promise<Extract<Frame, { type: "event" }>> {
    return this.next((f): f is Extract<Frame, { type: "event" }> => f.type === "event" && f.event.kind === kind);
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  whenClosed(): Promise<{ code: number; reason: string }> {
    if (this.closed) return Promise.resolve(this.closed);
    return new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  close(): void {
    this.socket.close(1000, "bye");
  }
}

export function liveRequest(client: Client, user: TestUser | null, workspaceId: string, options: { since?: number; origin?: string | null; upgrade?: boolean } = {}) {
  const headers: Record<string, string> = {};
  if (options.upgrade !== false) headers.Upgrade = "websocket";
  if (options.origin !== null) headers.Origin = options.origin ?? ORIGIN;
  const query = options.since !== undefined ? `?since=${options.since}` : "";
  return client.call("GET", `/api/workspaces/${workspaceId}/live${query}`, { ...(user ? { cookie: user.cookie } : {}), headers });
}

export async function connectLive(client: Client, user: TestUser, workspaceId: string, since?: number): Promise<LiveSocket> {
  const response = await liveRequest(client, user, workspaceId, since === undefined ? {} : { since });
  expect(response.status).toBe(101);
  const socket = response.webSocket;
  if (!socket) throw new Error("no webSocket on a 101 response");
  const live = new LiveSocket(socket);
  socket.accept();
  return live;
}

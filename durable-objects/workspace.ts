import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { LiveEvent, type OnlineMember } from "../worker/contracts/live";
import { EventLog } from "./workspace/event-log";
import { Hub } from "./workspace/hub";
import { HUB_MEMBER_HEADER, HubMemberHeader } from "./workspace/member-header";
import { ok, refused, type Result } from "./workspace/result";
import { Schedule, type DrainReport, type ScheduleEntry } from "./workspace/schedule";
import { migrate } from "./workspace/schema";

const ScheduleEntries = z
  .array(z.object({ targetId: z.string().min(1), workspaceId: z.string().min(1), dueAt: z.number().int(), revision: z.number().int().min(1), leadMs: z.number().int().min(0) }))
  .max(1000);
const TargetIds = z.array(z.string().min(1)).max(1000);

const LiveEvents = z.array(LiveEvent).min(1).max(20);

const ConnectQuery = z.object({ since: z.coerce.number().int().min(0).optional() });

/**
 * One per workspace, addressed by workspace id. A thin facade: RPC methods and WebSocket handlers
 * delegate to the hub (and, from the publishing issue on, the schedule store). It never calls
 * platform APIs, so slow remote I/O never queues work behind it.
 */
export class WorkspaceDO extends DurableObject<Env> {
  private readonly hub: Hub;
  private readonly schedule: Schedule;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrate(ctx.storage.sql);
    this.hub = new Hub(ctx, new EventLog(ctx.storage.sql));
    this.schedule = new Schedule(ctx.storage.sql, ctx.storage, env.PUBLISH_QUEUE);
    // Answered by the runtime itself, without waking a hibernating object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(JSON.stringify({ type: "ping" }), JSON.stringify({ type: "pong" })));
  }

  /** Only the Worker's live route calls this, after checking session, membership and Origin. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return new Response("WebSocket upgrade expected", { status: 426 });
    let member;
    try {
      member = HubMemberHeader.parse(JSON.parse(request.headers.get(HUB_MEMBER_HEADER) ?? "null"));
    } catch {
      return new Response("Missing or invalid member header", { status: 400 });
    }
    const query = ConnectQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!query.success) return new Response("Invalid since", { status: 400 });
    return this.hub.connect(member, query.data.since);
  }

  async publish(event: LiveEvent): Promise<Result<{ seq: number }>> {
    const parsed = LiveEvent.safeParse(event);
    if (!parsed.success) return refused(`Not a live event: ${parsed.error.issues[0]?.message ?? "unknown shape"}.`);
    return ok({ seq: this.hub.publish(parsed.data).seq });
  }

  /** Events that belong together (at most 20), published in order and sent to every socket as one frame. */
  async publishAll(events: LiveEvent[]): Promise<Result<{ seqs: number[] }>> {
    const parsed = LiveEvents.safeParse(events);
    if (!parsed.success) return refused(`Not live events: ${parsed.error.issues[0]?.message ?? "unknown shape"}.`);
    return ok({ seqs: this.hub.publishAll(parsed.data).map((e) => e.seq) });
  }

  async disconnectUser(userId: string): Promise<Result<{ closed: number }>> {
    return ok({ closed: this.hub.disconnectUser(userId, "You no longer have access to this workspace.") });
  }

  async presence(): Promise<OnlineMember[]> {
    return this.hub.online();
  }

  /** Adds or moves targets on the schedule (a lower revision than the one held is ignored). */
  async scheduleTargets(entries: ScheduleEntry[]): Promise<Result<{ changed: number }>> {
    const parsed = ScheduleEntries.safeParse(entries);
    if (!parsed.success) return refused(`Not schedule entries: ${parsed.error.issues[0]?.message ?? "unknown shape"}.`);
    return ok({ changed: await this.schedule.upsert(parsed.data) });
  }

  async unscheduleTargets(targetIds: string[]): Promise<Result<{ removed: number }>> {
    const parsed = TargetIds.safeParse(targetIds);
    if (!parsed.success) return refused("Not a list of target ids.");
    return ok({ removed: await this.schedule.remove(parsed.data) });
  }

  async scheduledTargets(): Promise<ScheduleEntry[]> {
    return this.schedule.entries();
  }

  /** What the alarm does, with the time passed in (tests run it at an injected instant). */
  async drainSchedule(now: number): Promise<DrainReport> {
    return this.schedule.drain(now);
  }

  /** Only enqueues: platform calls happen in the publish queue's consumer. Throws to be retried by the runtime. */
  override async alarm(): Promise<void> {
    const report = await this.schedule.drain(Date.now());
    if (report.enqueued > 0) console.log(JSON.stringify({ msg: "schedule drained", enqueued: report.enqueued, nextAlarmAt: report.nextAlarmAt }));
  }

  override async webSocketMessage(socket: WebSocket, message: string | ArrayBuffer): Promise<void> {
    this.hub.onMessage(socket, message);
  }

  override async webSocketClose(socket: WebSocket): Promise<void> {
    this.hub.onClose(socket);
  }

  override async webSocketError(socket: WebSocket): Promise<void> {
    this.hub.onClose(socket);
  }
}

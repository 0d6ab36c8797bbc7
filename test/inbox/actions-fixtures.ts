import { env } from "cloudflare:workers";
import { openTokens, sealer } from "../../worker/connections/sealing";
import type { LiveEvent } from "../../worker/contracts/live";
import { createDb } from "../../worker/db/client";
import type { InboxActionMessage, InboxDeps } from "../../worker/inbox/deps";
import type { ActionRunDeps } from "../../worker/inbox/actions/context";
import { SANDBOX } from "../helpers/connect";
import type { TestClock } from "../helpers/client";

/** Inbox rows written with SQL, so these tests do not depend on the webhook slice. */

const newTestId = () => crypto.randomUUID().replaceAll("-", "").slice(0, 22);

/** A channel row without tokens (enough for the routes and for refusals decided before any platform call). */
export async function seedConnection(workspaceId: string, platform: "facebook" | "instagram" = "facebook"): Promise<string> {
  const id = newTestId();
  const externalId = String(100_000_000 + Math.floor(Math.random() * 900_000_000));
  await env.DB.prepare(
    "INSERT INTO connections (id, workspace_id, platform, kind, external_id, name, status, scopes, metadata, grant_family, grant_account_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'active', '[]', '{}', 'meta', 'acct', ?, ?)",
  )
    .bind(id, workspaceId, platform, platform === "facebook" ? "page" : "business", externalId, `${platform} test`, Date.now(), Date.now())
    .run();
  return id;
}

export type ConversationSeed = {
  kind?: "comments" | "dm";
  platform?: "facebook" | "instagram";
  externalId?: string;
  title?: string;
  participantId?: string | null;
  participantName?: string | null;
  status?: "open" | "done";
  assigneeId?: string | null;
  tags?: string[];
  lastMessageAt: number;
  lastInboundAt?: number | null;
  preview?: string;
};

export async function seedConversation(workspaceId: string, connectionId: string, seed: ConversationSeed): Promise<string> {
  const id = newTestId();
  await env.DB.prepare(
    `INSERT INTO conversations (id, workspace_id, connection_id, platform, kind, external_id, post_target_id, title, participant_id, participant_name, permalink, status, assignee_id, claimed_by, claimed_at, tags, last_message_at, last_inbound_at, preview, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, NULL, ?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?)`,
  )
    .bind(
      id,
      workspaceId,
      connectionId,
      seed.platform ?? "facebook",
      seed.kind ?? "comments",
      seed.externalId ?? newTestId(),
      seed.title ?? "Our spring collection is here",
      seed.participantId ?? null,
      seed.participantName ?? null,
      seed.status ?? "open",
      seed.assigneeId ?? null,
      JSON.stringify(seed.tags ?? []),
      seed.lastMessageAt,
      seed.lastInboundAt === undefined ? seed.lastMessageAt : seed.lastInboundAt,
      seed.preview ?? "",
      seed.lastMessageAt,
      seed.lastMessageAt,
    )
    .run();
  return id;
}

export type MessageSeed = { externalId?: string | null; direction?: "in" | "out"; state?: "received" | "sent" | "pending" | "removed"; text: string; authorId?: string; authorName?: string; at: number };

export async function seedMessage(workspaceId: string, conversationId: string, connectionId: string, seed: MessageSeed): Promise<string> {
  const id = newTestId();
  await env.DB.prepare(
    `INSERT INTO messages (id, workspace_id, conversation_id, connection_id, external_id, parent_external_id, direction, state, author_id, author_name, text, attachments, hidden, liked, sent_by, rule_id, platform_at, edited_at, removed_at, created_at)
     VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, '[]', 0, 0, NULL, NULL, ?, NULL, NULL, ?)`,
  )
    .bind(id, workspaceId, conversationId, connectionId, seed.externalId === undefined ? newTestId() : seed.externalId, seed.direction ?? "in", seed.state ?? "received", seed.authorId ?? "6543210987654321", seed.authorName ?? "Jane Doe", seed.text, seed.at, seed.at)
    .run();
  return id;
}

/** Injected dependencies that record what would be enqueued and pushed live. */
export class CapturingDeps {
  readonly queued: InboxActionMessage[] = [];
  readonly events: LiveEvent[] = [];
  private owners = 0;
  constructor(readonly clock: TestClock) {}

  inbox(): InboxDeps {
    return { env, db: createDb(env.DB), now: this.clock.read, live: async (_ws, ...events) => void this.events.push(...events), enqueueAction: async (m) => void this.queued.push(m) };
  }

  runner(extra: Partial<ActionRunDeps> = {}): ActionRunDeps {
    this.owners += 1;
    return { ...this.inbox(), owner: `test-runner-${this.owners}`, random: () => 0.5, ...extra };
  }
}

export async function row<T>(sql: string, ...binds: unknown[]): Promise<T> {
  const found = await env.DB.prepare(sql).bind(...binds).first<T>();
  if (!found) throw new Error(`no row for ${sql}`);
  return found;
}

/** The channel's Page token, opened the way the runner opens it (tests play the platform's people with it). */
export async function pageTokenOf(connectionId: string): Promise<{ pageId: string; token: string; metadata: Record<string, string> }> {
  const connection = await createDb(env.DB).query.connections.findFirst({ where: (c, { eq }) => eq(c.id, connectionId) });
  if (!connection) throw new Error("no connection");
  const opened = await openTokens(await sealer(env), connection);
  if (!opened) throw new Error("no tokens");
  return { pageId: connection.externalId, token: opened.tokens.accessToken, metadata: connection.metadata };
}

/** A live post on the sandbox's Page, published straight through Graph (the publishing engine is not under test here). */
export async function sandboxPagePost(pageId: string, token: string, message: string): Promise<string> {
  const response = await fetch(`${SANDBOX}/graph.facebook.com/v23.0/${pageId}/feed`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ message }) });
  const body = (await response.json()) as { id?: string };
  if (!body.id) throw new Error(`feed post failed: ${JSON.stringify(body)}`);
  return body.id;
}

/** A person comments on the post (the sandbox's control API), or writes the Page a DM. */
export async function sandboxPersonComments(pageId: string, postId: string, text: string, name = "Jane Doe"): Promise<{ id: string; authorId: string }> {
  const response = await fetch(`${SANDBOX}/_sandbox/events/comment`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ platform: "facebook", account: pageId, post: postId, author: { name }, text }) });
  if (response.status !== 201) throw new Error(`comment failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string; authorId: string };
}

export async function sandboxPersonWrites(pageId: string, text: string, name = "Sam Buyer"): Promise<{ mid: string; authorId: string }> {
  const response = await fetch(`${SANDBOX}/_sandbox/events/message`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ platform: "facebook", account: pageId, author: { name }, text }) });
  if (response.status !== 201) throw new Error(`message failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { mid: string; authorId: string };
}

export type SandboxInboxAction = { action: string; platform: string; account: string; targetId: string; text: string | null; resultId: string | null };

export async function sandboxActions(account: string, action: string): Promise<SandboxInboxAction[]> {
  const body = (await (await fetch(`${SANDBOX}/_sandbox/inbox?account=${account}&action=${action}`)).json()) as { actions: SandboxInboxAction[] };
  return body.actions;
}

export async function sandboxFault(fault: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${SANDBOX}/_sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(fault) });
  if (response.status !== 201) throw new Error(`fault refused: ${await response.text()}`);
}

/** The sandbox's current time (its clock may have been moved by other test files). */
export async function sandboxNow(): Promise<number> {
  const body = (await (await fetch(`${SANDBOX}/_sandbox/clock`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ advanceMs: 0 }) })).json()) as { now: number };
  return body.now;
}

const graphForm = (token: string, form: Record<string, string>) => ({ method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form) });

/**
 * A live Instagram image on the sandbox account: container → (sandbox time moves until it is
 * processed) → media_publish. The image is one the sandbox's media host serves.
 */
export async function sandboxIgPost(igUserId: string, token: string, caption: string): Promise<string> {
  const graph = `${SANDBOX}/graph.facebook.com/v23.0`;
  const container = (await (await fetch(`${graph}/${igUserId}/media`, graphForm(token, { image_url: "http://media.example/photo.jpg", caption }))).json()) as { id?: string };
  if (!container.id) throw new Error(`container failed: ${JSON.stringify(container)}`);
  for (let i = 0; i < 20; i++) {
    const published = (await (await fetch(`${graph}/${igUserId}/media_publish`, graphForm(token, { creation_id: container.id }))).json()) as { id?: string };
    if (published.id) return published.id;
    await fetch(`${SANDBOX}/_sandbox/clock`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ advanceMs: 1_000 }) });
  }
  throw new Error("the Instagram container never finished processing");
}

export async function sandboxIgComment(igUserId: string, mediaId: string, text: string, name = "fan_account"): Promise<{ id: string; authorId: string }> {
  const response = await fetch(`${SANDBOX}/_sandbox/events/comment`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ platform: "instagram", account: igUserId, post: mediaId, author: { name }, text }) });
  if (response.status !== 201) throw new Error(`comment failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string; authorId: string };
}

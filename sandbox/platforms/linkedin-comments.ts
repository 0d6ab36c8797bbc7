import { Hono } from "hono";
import { z } from "zod";
import type { SandboxEnv } from "../app";
import type { SandboxObject, SandboxStore } from "../store/store";
import { nextSeq } from "./meta-publish-common";
import { accessDenied, bearer, mayRead, requireProtocol2, restError, urnParam, type Ctx } from "./linkedin-rest";

/**
 * Comments on LinkedIn posts (linkedin.md §7): `GET /rest/socialActions/{post urn}/comments` with
 * `start`/`count` paging, and a control call that has a person comment on a sandbox post.
 *
 * Choices where LinkedIn's behaviour is unverified, which the poller relies on the same way:
 * - the list is newest first, and replies come in the same list with `parentComment` set (LinkedIn
 *   may list them only under the parent comment's own socialActions);
 * - the `commentUrn` names the post URN (LinkedIn names the activity URN behind the post);
 * - the commenter's name comes back only when `projection` asks for the `actor~` decoration.
 */
const MAX_COUNT = 100;

export type LinkedInSandboxComment = {
  postUrn: string;
  actor: string;
  firstName: string | null;
  lastName: string | null;
  text: string;
  parentCommentId: string | null;
  created: number;
};

const commentUrn = (postUrn: string, id: string) => `urn:li:comment:(${postUrn},${id})`;

function livePost(store: SandboxStore, urn: string) {
  const post = store.publishing.post(urn);
  return post && post.platform === "linkedin" && post.deleted_at === null ? post : null;
}

function commentsOf(store: SandboxStore, postUrn: string): SandboxObject<LinkedInSandboxComment>[] {
  return (store.publishing.objectsOf("linkedin", postUrn, "comment") as SandboxObject<LinkedInSandboxComment>[]).sort((a, b) => b.data.created - a.data.created || b.id.localeCompare(a.id));
}

function commentJson(object: SandboxObject<LinkedInSandboxComment>, decorated: boolean): Record<string, unknown> {
  const c = object.data;
  const audit = { actor: c.actor, time: c.created };
  const name = c.actor.startsWith("urn:li:organization:") ? { localizedName: c.firstName ?? "" } : { localizedFirstName: c.firstName ?? "", localizedLastName: c.lastName ?? "" };
  return {
    id: object.id,
    commentUrn: commentUrn(c.postUrn, object.id),
    actor: c.actor,
    ...(decorated ? { "actor~": name } : {}),
    object: c.postUrn,
    message: { text: c.text, attributes: [] },
    ...(c.parentCommentId ? { parentComment: commentUrn(c.postUrn, c.parentCommentId) } : {}),
    created: audit,
    lastModified: audit,
  };
}

async function listComments(c: Ctx): Promise<Response> {
  const refused = await requireProtocol2(c);
  if (refused) return refused;
  const caller = bearer(c);
  if (caller instanceof Response) return caller;
  const urn = urnParam(c.req.param("urn") ?? "");
  const post = livePost(c.var.store, urn);
  if (!post) return restError(c, 404, "NOT_FOUND", `Post ${urn} not found`, 100);
  if (!mayRead(caller, post.account_id)) return accessDenied(c, "socialActions.comments.FINDER");
  const start = Math.max(0, Number(c.req.query("start") ?? "0") || 0);
  const count = Math.min(MAX_COUNT, Math.max(1, Number(c.req.query("count") ?? "10") || 10));
  const decorated = (c.req.query("projection") ?? "").includes("actor~");
  const all = commentsOf(c.var.store, urn);
  return c.json({ elements: all.slice(start, start + count).map((o) => commentJson(o, decorated)), paging: { start, count, total: all.length, links: [] } });
}

export function linkedinCommentRoutes(): Hono<SandboxEnv> {
  return new Hono<SandboxEnv>().get("/rest/socialActions/:urn/comments", listComments);
}

export const LinkedInCommentInput = z.object({
  postUrn: z.string().min(1),
  text: z.string().min(1).max(1250),
  actorUrn: z.string().regex(/^urn:li:(person|organization):[\w-]+$/).optional(),
  firstName: z.string().min(1).default("Robin"),
  lastName: z.string().default("Commenter"),
  parentCommentId: z.string().optional(),
});

/** `POST /_sandbox/events/linkedin-comment`: someone comments (or replies) on a live sandbox post. */
export function linkedinCommentControlRoutes(): Hono<SandboxEnv> {
  return new Hono<SandboxEnv>().post("/linkedin-comment", async (c) => {
    const parsed = LinkedInCommentInput.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: parsed.error.issues }, 400);
    const input = parsed.data;
    const store = c.var.store;
    if (!livePost(store, input.postUrn)) return c.json({ error: `No live LinkedIn post ${input.postUrn} in the sandbox.` }, 404);
    if (input.parentCommentId && store.publishing.object(input.parentCommentId)?.account_id !== input.postUrn) return c.json({ error: `No comment ${input.parentCommentId} on ${input.postUrn}.` }, 404);
    const id = `716${String(nextSeq(store)).padStart(16, "0")}`;
    const actor = input.actorUrn ?? `urn:li:person:sbx${id.slice(-8)}`;
    const object = store.publishing.createObject<LinkedInSandboxComment>({
      id,
      platform: "linkedin",
      accountId: input.postUrn,
      kind: "comment",
      data: { postUrn: input.postUrn, actor, firstName: input.firstName, lastName: input.lastName, text: input.text, parentCommentId: input.parentCommentId ?? null, created: store.now() },
    });
    return c.json({ comment: commentJson(object, true) }, 201);
  });
}

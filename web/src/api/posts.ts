import type { z } from "zod";
import { AttemptList, Post, type Attempt as AttemptSchema, type PostInput } from "../../../worker/contracts/posts.ts";
import { api } from "./http.ts";
import { parseWith } from "./parse.ts";

const ws = (id: string) => `/api/workspaces/${encodeURIComponent(id)}`;
const post = (id: string, postId: string) => `${ws(id)}/posts/${encodeURIComponent(postId)}`;
const target = (id: string, postId: string, targetId: string) => `${post(id, postId)}/targets/${encodeURIComponent(targetId)}`;
const asPost = (body: unknown): Post => parseWith(Post, body);

/** What the composer sends; the contract's defaults are applied by the server. */
export type PostBody = Omit<PostInput, "status"> & { status?: PostInput["status"] };
export type PostPatch = Partial<PostBody> & { revision: number };

/** One step the engine ran for a channel. */
export type Attempt = z.infer<typeof AttemptSchema>;
/** `here` keeps published channels live; `platform` also deletes them where the platform's API allows it. */
export type RemoveMode = "here" | "platform";
/** How a person settled an unconfirmed channel after checking the platform themselves. */
export type Resolution = { outcome: "published"; url?: string } | { outcome: "not_published" };

export interface PostProblem {
  path: string;
  message: string;
}
export interface ValidationReport {
  valid: boolean;
  targets: { connectionId: string; problems: PostProblem[] }[];
}

export interface PostFilter {
  from?: string;
  to?: string;
  state?: Post["status"];
  channel?: string;
}

export const postsApi = {
  list: async (id: string, filter: PostFilter = {}, signal?: AbortSignal) =>
    (await api.get<{ posts: Post[] }>(`${ws(id)}/posts`, { query: { ...filter }, signal })).posts,
  get: (id: string, postId: string) => api.get<Post>(post(id, postId)),
  create: (id: string, body: PostBody) => api.post<Post>(`${ws(id)}/posts`, body),
  /** Refused with 409 when `revision` is not the current one (someone else saved first). */
  update: (id: string, postId: string, body: PostPatch) => api.patch<Post>(post(id, postId), body),
  remove: (id: string, postId: string, remove?: RemoveMode) => api.delete<void>(post(id, postId), { query: { remove } }),
  /** Checks every target against its platform's rules without saving. */
  validate: (id: string, body: PostBody, signal?: AbortSignal) => api.post<ValidationReport>(`${ws(id)}/posts/validate`, body, { signal }),

  // Publishing: every answer is the post with its ledger, checked against the contract.
  /** The post with each channel's ledger fields (state, due time, link, status sentence). */
  load: async (id: string, postId: string, signal?: AbortSignal) => asPost(await api.get<unknown>(post(id, postId), { signal })),
  /** Takes a scheduled post off the schedule; `revision` guards against a stale view (409). */
  cancel: async (id: string, postId: string, revision: number) => asPost(await api.patch<unknown>(post(id, postId), { status: "cancelled", revision })),
  /** Every channel not yet live goes live now. */
  publishNow: async (id: string, postId: string) => asPost(await api.post<unknown>(`${post(id, postId)}/publish-now`)),
  /** A new draft with the same content and channels (201). */
  duplicate: async (id: string, postId: string) => asPost(await api.post<unknown>(`${post(id, postId)}/duplicate`)),
  /**
   * Sends a failed, needs-reconnect or unconfirmed channel back to the engine. For an unconfirmed one the
   * API answers 409 unless the person confirmed the post is not on the platform: a blind retry double-posts.
   */
  retry: async (id: string, postId: string, targetId: string, confirmNotPublished?: boolean) =>
    asPost(await api.post<unknown>(`${target(id, postId, targetId)}/retry`, confirmNotPublished ? { confirmNotPublished: true } : {})),
  resolve: async (id: string, postId: string, targetId: string, resolution: Resolution) => asPost(await api.post<unknown>(`${target(id, postId, targetId)}/resolve`, resolution)),
  /** Every step the engine ran for the post's channels, oldest first. */
  attempts: async (id: string, postId: string, signal?: AbortSignal) => parseWith(AttemptList, await api.get<unknown>(`${post(id, postId)}/attempts`, { signal })).attempts,
};

import type { Post, PostInput } from "../../../worker/contracts/posts.ts";
import { api } from "./http.ts";

const ws = (id: string) => `/api/workspaces/${encodeURIComponent(id)}`;
const post = (id: string, postId: string) => `${ws(id)}/posts/${encodeURIComponent(postId)}`;

/** What the composer sends; the contract's defaults are applied by the server. */
export type PostBody = Omit<PostInput, "status"> & { status?: PostInput["status"] };
export type PostPatch = Partial<PostBody> & { revision: number };

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
  remove: (id: string, postId: string) => api.delete<void>(post(id, postId)),
  /** Checks every target against its platform's rules without saving. */
  validate: (id: string, body: PostBody, signal?: AbortSignal) => api.post<ValidationReport>(`${ws(id)}/posts/validate`, body, { signal }),
};

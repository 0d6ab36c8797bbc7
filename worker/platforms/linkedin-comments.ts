import { z } from "zod";
import { withQuery } from "./http";
import { linkedinSend, type Author } from "./linkedin-publish-http";
import type { AdapterContext, PlatformFailure } from "./types";

/**
 * Reading the comments under a LinkedIn post (linkedin.md §7): `GET /rest/socialActions/{post urn}/comments`
 * with `start`/`count` paging. The commenter's name is asked for through the `actor~` projection;
 * whether `/rest` honours that decoration, and whether replies come in the same list with
 * `parentComment` (rather than only under the parent's own socialActions), is unverified: both are
 * optional here, and the sandbox answers the same way.
 */
const REST = "https://api.linkedin.com/rest";
export const LINKEDIN_COMMENTS_PAGE = 100;
const PROJECTION = "(paging,elements*(*,actor~(localizedFirstName,localizedLastName,localizedName)))";

const AuditStamp = z.object({ actor: z.string().optional(), time: z.number() });
export const LinkedInComment = z.object({
  id: z.string().min(1),
  commentUrn: z.string().optional(),
  actor: z.string(),
  "actor~": z.object({ localizedFirstName: z.string().optional(), localizedLastName: z.string().optional(), localizedName: z.string().optional() }).optional(),
  object: z.string().optional(),
  message: z.object({ text: z.string().default("") }).default({ text: "" }),
  parentComment: z.string().optional(),
  created: AuditStamp,
  lastModified: AuditStamp.optional(),
});
export type LinkedInComment = z.infer<typeof LinkedInComment>;

const CommentPage = z.object({
  elements: z.array(LinkedInComment).default([]),
  paging: z.object({ start: z.number().optional(), count: z.number().optional(), total: z.number().optional() }).optional(),
});

export type LinkedInCommentPage = { ok: true; comments: LinkedInComment[]; total: number | null } | { ok: false; failure: PlatformFailure };

/** One page of a post's comments, as the channel's author (a member or an organization). */
export async function listLinkedInComments(ctx: AdapterContext, token: string, author: Author, postUrn: string, start: number): Promise<LinkedInCommentPage> {
  const url = withQuery(`${REST}/socialActions/${encodeURIComponent(postUrn)}/comments`, { start: String(start), count: String(LINKEDIN_COMMENTS_PAGE), projection: PROJECTION });
  const answer = await linkedinSend(ctx, url, CommentPage, { token, author });
  if (!answer.ok) return { ok: false, failure: answer.failure };
  return { ok: true, comments: answer.value.elements, total: answer.value.paging?.total ?? null };
}

/** The comment id inside `urn:li:comment:(urn:li:activity:…,<id>)`, the form `parentComment` takes. */
export function commentIdOfUrn(urn: string): string {
  return /,([^,()]+)\)$/.exec(urn)?.[1] ?? urn;
}

/** The commenter's display name when the decoration came back. */
export function commenterName(comment: LinkedInComment): string | null {
  const d = comment["actor~"];
  if (!d) return null;
  const name = d.localizedName ?? [d.localizedFirstName, d.localizedLastName].filter(Boolean).join(" ");
  return name.trim() || null;
}

import type { Post, Target } from "../../../../worker/contracts/posts.ts";
import { EDITABLE_STATES, type TargetState } from "../../../../worker/publishing/states.ts";
import { isLive } from "./target-states.ts";

const has = (list: readonly TargetState[], state: TargetState) => list.includes(state);
const states = (post: Pick<Post, "targets">) => post.targets.map((t) => t.state);

/** Scheduled posts and anything further along (cancelled included) get the Publishing panel; drafts do not. */
export const showsPublishing = (post: Pick<Post, "status" | "targets">): boolean => post.status !== "draft" || states(post).some((s) => s !== "draft");

/** Channels that have not gone live and are not waiting for a person: "Post now" moves their due time to now. */
const WAITING_TO_GO: readonly TargetState[] = ["scheduled", "preparing", "ready"];
/** Channels a cancel still stops (nothing reached the platform yet). */
const STOPPABLE: readonly TargetState[] = ["scheduled", "preparing", "ready", "failed", "needs_reconnect"];

export const canPostNow = (post: Pick<Post, "status" | "targets">): boolean => post.status === "scheduled" && states(post).some((s) => has(WAITING_TO_GO, s));
export const canCancel = (post: Pick<Post, "status" | "targets">): boolean => post.status === "scheduled" && states(post).some((s) => has(STOPPABLE, s));

/** Channels where the post is live now: deleting the post asks what to do with them. */
export const liveTargets = (post: Pick<Post, "targets">): Target[] => post.targets.filter(isLive);

/**
 * Why the composer must not edit this post, or null when it may. Once any channel is being published,
 * is live or may be live, an edit could never reach that platform and would only make Atelier disagree
 * with what the audience sees.
 */
export function readOnlyReason(post: Pick<Post, "targets">, nameOf: (t: Target) => string): string | null {
  const locked = post.targets.filter((t) => !has(EDITABLE_STATES, t.state));
  if (locked.length === 0) return null;
  const names = (list: Target[]) => list.map(nameOf).join(", ");
  const live = locked.filter((t) => t.state === "published");
  const going = locked.filter((t) => t.state === "committing");
  const unsure = locked.filter((t) => t.state === "unconfirmed");
  const parts: string[] = [];
  if (live.length) parts.push(`is live on ${names(live)}`);
  if (going.length) parts.push(`is being published on ${names(going)} right now`);
  if (unsure.length) parts.push(`may already be live on ${names(unsure)}`);
  const what = parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}` : parts[0];
  const youtube = live.some((t) => t.platform === "youtube") ? " A published YouTube video's title, description, tags and privacy can be changed with “Edit on YouTube” below." : "";
  return `This post can't be edited: it ${what}. Changes made here would not reach the platforms. Duplicate it to publish an edited copy.${youtube}`;
}

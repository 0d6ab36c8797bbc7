import type { Post, Target } from "../../../../worker/contracts/posts.ts";
import type { TargetState } from "../../../../worker/publishing/states.ts";
import { STATE_LABEL } from "./target-states.ts";

/** One post's publishing at a glance: the state that matters most, in words, and its colour key. */
export interface PublishSummary {
  /** The representative state (its colour); the worst one when any channel needs a person. */
  state: TargetState;
  label: string;
  /** Whether a calendar chip should show it (scheduled and draft are the chip's normal look). */
  notable: boolean;
}

/** Most urgent first: these wait for a person. */
const NEEDS_PERSON: readonly TargetState[] = ["failed", "needs_reconnect", "unconfirmed"];
const PER_COUNT: Partial<Record<TargetState, (n: number) => string>> = {
  failed: () => "failed",
  needs_reconnect: (n) => (n === 1 ? "needs reconnect" : "need reconnect"),
  unconfirmed: () => "unconfirmed",
};
/** Most advanced first: what the engine is doing now. */
const IN_FLIGHT: readonly TargetState[] = ["committing", "ready", "preparing"];

export function summarise(targets: readonly Pick<Target, "state">[]): PublishSummary | null {
  if (targets.length === 0) return null;
  const count = (s: TargetState) => targets.filter((t) => t.state === s).length;
  const total = targets.length;
  for (const s of NEEDS_PERSON) {
    const n = count(s);
    if (n) return { state: s, label: n === total ? STATE_LABEL[s] : `${n} of ${total} ${PER_COUNT[s]?.(n) ?? STATE_LABEL[s]}`, notable: true };
  }
  for (const s of IN_FLIGHT) if (count(s)) return { state: s, label: STATE_LABEL[s], notable: true };
  const cancelled = count("cancelled");
  const relevant = total - cancelled;
  const published = count("published");
  if (relevant > 0 && published === relevant) return { state: "published", label: STATE_LABEL.published, notable: true };
  if (published > 0) return { state: "published", label: `${published} of ${relevant} published`, notable: true };
  if (relevant === 0) return { state: "cancelled", label: STATE_LABEL.cancelled, notable: true };
  return count("scheduled") ? { state: "scheduled", label: STATE_LABEL.scheduled, notable: false } : { state: "draft", label: STATE_LABEL.draft, notable: false };
}

/** "Facebook Page: Published, Instagram: Failed" for a screen reader (the chip's dots are visual only). */
export const channelStatesText = (targets: readonly Target[], nameOf: (t: Target) => string): string =>
  targets.map((t) => `${nameOf(t)}: ${STATE_LABEL[t.state]}`).join(", ");

/** A `target.changed` event applied to a list of posts; the same list when it names no post in it. */
export function applyTargetChange(posts: Post[], change: { postId: string; targetId: string; state: TargetState }): Post[] {
  const index = posts.findIndex((p) => p.id === change.postId);
  const post = posts[index];
  if (!post || !post.targets.some((t) => t.id === change.targetId && t.state !== change.state)) return posts;
  const next = posts.slice();
  next[index] = { ...post, targets: post.targets.map((t) => (t.id === change.targetId ? { ...t, state: change.state } : t)) };
  return next;
}

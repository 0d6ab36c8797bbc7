import { z } from "zod";
import { threads as capabilities } from "../domain/capabilities/threads";
import type { AfterPublishJob, AfterPublishResult, Checkpoint } from "../publishing/types";
import { withQuery } from "./http";
import { sameText } from "./meta-publish-common";
import { API, containerStatus, containerErrorFailure, createContainer, send, type Answer } from "./threads-api";
import type { AdapterContext, PlatformFailure } from "./types";

/**
 * A Threads reply chain (threads.md §8): after the first post is live, each further post is a TEXT
 * container with `reply_to_id` = the post before it, then `threads_publish`. Every id is saved the
 * moment Threads returns it (`saveCheckpoint`), so a second run resumes at the right link: a link
 * with a published id is skipped, a link whose container exists is published (after one status read
 * shows it has not gone out already), and only a link without a container gets a new one.
 */
export const ChainLink = z.object({ containerId: z.string().optional(), mediaId: z.string().optional() });
export type ChainLink = z.infer<typeof ChainLink>;

const Created = z.object({ id: z.coerce.string().min(1) });
const Replies = z.object({ data: z.array(z.object({ id: z.coerce.string(), text: z.string().optional() })).default([]) });

/** How long a text container may take to be ready before the chain gives up for now (text is ready in about a second). */
const READY_TRIES = 5;
const READY_WAIT_MS = 1000;

export type ChainDeps = { wait: (ms: number) => Promise<void> };
const realWait: ChainDeps = { wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/** The rest of the thread as stored in the target's options (none when the options do not parse). */
export function chainOf(format: string, options: Record<string, unknown>): string[] {
  const parsed = capabilities.formats[format]?.options?.safeParse(options);
  return parsed?.success ? ((parsed.data as { chain?: string[] }).chain ?? []) : [];
}

type Failed = { ok: false; failure: PlatformFailure };

/** Publishes the chain's remaining links. `checkpoint.chain` holds each link's progress. */
export async function publishChain(ctx: AdapterContext, job: AfterPublishJob, deps: ChainDeps = realWait): Promise<AfterPublishResult> {
  const links = chainOf(job.format, job.options);
  if (links.length === 0) return { ok: true, did: null };
  const progress: ChainLink[] = z.array(ChainLink).catch([]).parse((job.checkpoint as { chain?: unknown }).chain ?? []);
  let checkpoint: Checkpoint = { ...job.checkpoint };
  const save = async (index: number, link: ChainLink) => {
    progress[index] = link;
    checkpoint = { ...checkpoint, chain: [...progress] };
    await job.saveCheckpoint(checkpoint);
  };
  const already = progress.filter((l) => l.mediaId).length;
  let parent = job.remoteId;
  for (const [index, text] of links.entries()) {
    const link = progress[index] ?? {};
    if (link.mediaId) {
      parent = link.mediaId;
      continue;
    }
    const what = remaining(index, links.length);
    if (!link.containerId) {
      const created = await createContainer(ctx, job, { media_type: "TEXT", text, reply_to_id: parent });
      if (!created.ok) return { ok: false, failure: created.failure, what };
      await save(index, { containerId: created.value.id });
    }
    const published = await publishLink(ctx, job, progress[index]!.containerId!, parent, text, deps);
    if (!published.ok) return { ok: false, failure: published.failure, what };
    await save(index, { ...progress[index], mediaId: published.mediaId });
    parent = published.mediaId;
  }
  const posted = links.length - already;
  return { ok: true, did: posted === 0 ? null : `${posted === 1 ? "1 more post" : `${posted} more posts`} of the thread published as replies.` };
}

/** "post 2 of the thread", "posts 3–5 of the thread" (the first post is number 1). */
function remaining(index: number, count: number): string {
  const from = index + 2;
  const to = count + 1;
  return from === to ? `post ${from} of the thread` : `posts ${from}–${to} of the thread`;
}

/** Waits for the container, publishes it, and finds the reply's id when the answer was lost. */
async function publishLink(ctx: AdapterContext, job: AfterPublishJob, containerId: string, parent: string, text: string, deps: ChainDeps): Promise<{ ok: true; mediaId: string } | Failed> {
  for (let attempt = 0; attempt < READY_TRIES; attempt++) {
    const status = await containerStatus(ctx, job, containerId);
    if (!status.ok) return { ok: false, failure: status.failure };
    if (status.code === "PUBLISHED") return findReply(ctx, job, parent, text, containerId);
    if (status.code === "ERROR") return { ok: false, failure: containerErrorFailure(status.errorMessage) };
    if (status.code === "EXPIRED") return { ok: false, failure: { kind: "retry", message: `Threads let the prepared reply (container ${containerId}) expire.` } };
    if (status.code === "FINISHED") {
      const answer: Answer<{ id: string }> = await send(ctx, `${API}/${job.channel.metadata.threadsUserId ?? job.channel.externalId}/threads_publish`, Created, job.accessToken, { form: { creation_id: containerId } });
      if (answer.ok) return { ok: true, mediaId: answer.value.id };
      // No answer: the status read of the next round says whether it went out.
      if (!answer.uncertain && !answer.failure.notReady) return { ok: false, failure: answer.failure };
    }
    await deps.wait(READY_WAIT_MS);
  }
  return { ok: false, failure: { kind: "retry", message: "Threads took too long to prepare the reply." } };
}

/** After `PUBLISHED` without an id: the reply is among the parent's replies, by its text. */
async function findReply(ctx: AdapterContext, job: AfterPublishJob, parent: string, text: string, containerId: string): Promise<{ ok: true; mediaId: string } | Failed> {
  const answer = await send(ctx, withQuery(`${API}/${parent}/replies`, { fields: "id,text", reverse: "true" }), Replies, job.accessToken);
  if (!answer.ok) return { ok: false, failure: answer.failure };
  const match = answer.value.data.find((r) => sameText(r.text, text));
  if (match) return { ok: true, mediaId: match.id };
  return { ok: false, failure: { kind: "fatal", message: `Threads says the reply (container ${containerId}) went out, but it is not among the post's replies, so the rest of the thread cannot be attached to it.` } };
}

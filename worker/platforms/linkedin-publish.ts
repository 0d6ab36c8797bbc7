import { z } from "zod";
import { linkedin as capabilities } from "../domain/capabilities/linkedin";
import type { Checkpoint, CommitResult, PrepareResult, PublishAdapter, PublishJob, ReconcileResult } from "../publishing/types";
import { isNetworkFailure } from "./http";
import { escapeCommentary } from "./linkedin-commentary";
import { LinkedInAsset, prepareMedia } from "./linkedin-media";
import { linkedinSend, type Author } from "./linkedin-publish-http";
import { permalinkOf, reconcileByListing } from "./linkedin-reconcile";
import { leadFrom, readCheckpoint, type LeadRule } from "./meta-publish-http";
import type { AdapterContext } from "./types";

/**
 * LinkedIn publishing (shared/platforms/linkedin.md §4–§6, §11): `prepare` uploads the media (images,
 * multi-part videos) and waits until LinkedIn reports them AVAILABLE; `commit` is the one
 * `POST /rest/posts`, whose answer names the post only in `x-restli-id`; `reconcile` lists the author's
 * newest posts and matches the fingerprint, since the create has no idempotency key.
 * The `LinkedIn-Version` sent is the connection side's `LINKEDIN_VERSION` (bump it yearly).
 */
const REST = "https://api.linkedin.com/rest";

/** Lead times (seconds before the due time `prepare` starts), scaled by what must be uploaded and processed. */
export const LINKEDIN_LEAD_SECONDS: Record<string, LeadRule> = {
  text: { base: 5 },
  image: { base: 20 },
  images: { base: 15, perImage: 5, max: 300 },
  video: { base: 60, perVideoMegabyte: 1, perVideoMinute: 20, max: 3600 },
};

/** Assets by media position as uploaded; the post's URN and link once it went live. */
export const LinkedInCheckpoint = z.object({
  assets: z.array(LinkedInAsset.nullable()).default([]),
  postUrn: z.string().optional(),
  permalink: z.string().optional(),
});
export type LinkedInCheckpoint = z.infer<typeof LinkedInCheckpoint>;

const cp = (checkpoint: Checkpoint) => readCheckpoint(LinkedInCheckpoint, checkpoint);
const out = (checkpoint: LinkedInCheckpoint): Checkpoint => ({ ...checkpoint });

/** The author URN written at connect time (linkedin.ts: `urn:li:person:…` or `urn:li:organization:…`). */
function authorOf(job: Pick<PublishJob, "channel">): Author {
  const fallback = job.channel.kind === "linkedin_organization" ? `urn:li:organization:${job.channel.externalId}` : `urn:li:person:${job.channel.externalId}`;
  return { urn: job.channel.metadata.authorUrn ?? fallback, name: job.channel.name };
}

function visibilityOf(job: PublishJob): string {
  const parsed = capabilities.formats[job.format]?.options?.safeParse(job.options);
  return parsed?.success ? ((parsed.data as { visibility?: string }).visibility ?? "PUBLIC") : "PUBLIC";
}

/** Problems no platform call can fix, caught before uploading anything. */
function invalid(job: PublishJob, author: Author): string | null {
  const format = capabilities.formats[job.format];
  if (!format) return `LinkedIn has no “${job.format}” post format.`;
  const kinds = job.media.map((m) => m.kind);
  if (job.media.length < format.media.min || job.media.length > format.media.max || kinds.some((k) => !format.media.kinds.includes(k))) {
    return `A LinkedIn ${format.label} needs ${format.media.max === 0 ? "no media" : format.media.min === format.media.max ? `exactly ${format.media.min} ${format.media.kinds.join(" or ")}` : `${format.media.min} to ${format.media.max} ${format.media.kinds.join(" or ")}s`}.`;
  }
  if (job.format === "text" && !job.text.trim()) return "A LinkedIn text post needs some text.";
  if (visibilityOf(job) === "CONNECTIONS" && author.urn.startsWith("urn:li:organization:")) return "A LinkedIn Page cannot post to connections only; choose who can see the post again.";
  return null;
}

async function prepare(ctx: AdapterContext, job: PublishJob): Promise<PrepareResult> {
  const checkpoint = cp(job.checkpoint);
  if (checkpoint.postUrn) return { kind: "ready", checkpoint: out(checkpoint) };
  const author = authorOf(job);
  const problem = invalid(job, author);
  if (problem) return { kind: "failed", checkpoint: out(checkpoint), failure: { kind: "fatal", message: problem } };
  if (job.media.length === 0) return { kind: "ready", checkpoint: out({ ...checkpoint, assets: [] }) };
  const step = await prepareMedia(ctx, { accessToken: job.accessToken, media: job.media, author }, checkpoint.assets);
  const next = { ...checkpoint, assets: step.assets };
  switch (step.kind) {
    case "done":
      return { kind: "ready", checkpoint: out(next) };
    case "waiting":
      return { kind: "waiting", checkpoint: out(next), pollAfterSeconds: step.pollAfterSeconds, detail: step.detail };
    case "failed":
      return { kind: "failed", checkpoint: out(next), failure: step.failure };
  }
}

/** The `content` of the post (§4.1): one image or video as `media`, several images as `multiImage`. */
function contentOf(job: PublishJob, assets: readonly LinkedInAsset[]): Record<string, unknown> | undefined {
  const alt = (index: number) => {
    const text = job.media[index]?.altText;
    return text ? { altText: text } : {};
  };
  if (assets.length === 0) return undefined;
  if (job.format === "images") return { multiImage: { images: assets.map((a, i) => ({ id: a.urn, ...alt(i) })) } };
  const only = assets[0] as LinkedInAsset;
  return { media: { id: only.urn, ...(only.kind === "image" ? alt(0) : {}) } };
}

/** The one go-live call: `POST /rest/posts` (§4.1). */
async function commit(ctx: AdapterContext, job: PublishJob): Promise<CommitResult> {
  const checkpoint = cp(job.checkpoint);
  if (checkpoint.postUrn) return { kind: "published", checkpoint: out(checkpoint), remoteId: checkpoint.postUrn, url: checkpoint.permalink ?? permalinkOf(checkpoint.postUrn) };
  const author = authorOf(job);
  const problem = invalid(job, author);
  if (problem) return { kind: "failed", checkpoint: out(checkpoint), failure: { kind: "fatal", message: problem } };
  const assets = checkpoint.assets.filter((a): a is LinkedInAsset => a !== null && a.available);
  const prepared = assets.length === job.media.length && assets.every((a, i) => a.mediaId === job.media[i]?.id);
  if (!prepared) {
    return { kind: "failed", checkpoint: out(checkpoint), notReady: true, failure: { kind: "retry", message: "The LinkedIn post's media is not uploaded yet (or changed since). Atelier will prepare it again." } };
  }

  const content = contentOf(job, assets);
  const body = {
    author: author.urn,
    commentary: escapeCommentary(job.text),
    visibility: visibilityOf(job),
    distribution: { feedDistribution: "MAIN_FEED", targetEntities: [], thirdPartyDistributionChannels: [] },
    lifecycleState: "PUBLISHED",
    isReshareDisabledByAuthor: false,
    ...(content ? { content } : {}),
  };
  const answer = await linkedinSend(ctx, `${REST}/posts`, z.unknown(), { token: job.accessToken, author, json: body });
  if (!answer.ok) {
    if (answer.uncertain) return { kind: "uncertain", checkpoint: out(checkpoint), detail: `LinkedIn did not confirm the post (${answer.why}); Atelier will check whether it went live.` };
    if (answer.failure.notReady) {
      // The media went back to processing, or the grace period was too short: check it again before retrying.
      const assetsAgain = checkpoint.assets.map((a) => (a?.kind === "image" ? { ...a, available: false, graceWaited: false } : a ? { ...a, available: false } : a));
      return { kind: "failed", checkpoint: out({ ...checkpoint, assets: assetsAgain }), failure: answer.failure, notReady: true };
    }
    return { kind: "failed", checkpoint: out(checkpoint), failure: answer.failure };
  }
  const urn = isNetworkFailure(answer.raw) ? null : answer.raw.headers.get("x-restli-id");
  if (!urn || !/^urn:li:(share|ugcPost):/.test(urn)) {
    return { kind: "uncertain", checkpoint: out(checkpoint), detail: `LinkedIn accepted the post (HTTP ${answer.raw.status}) but did not name it; Atelier will look for it among the newest posts.` };
  }
  const permalink = permalinkOf(urn);
  return { kind: "published", checkpoint: out({ ...checkpoint, postUrn: urn, permalink }), remoteId: urn, url: permalink };
}

async function reconcile(ctx: AdapterContext, job: PublishJob): Promise<ReconcileResult> {
  const checkpoint = cp(job.checkpoint);
  if (checkpoint.postUrn) return { kind: "published", remoteId: checkpoint.postUrn, url: checkpoint.permalink ?? permalinkOf(checkpoint.postUrn), checked: "LinkedIn had already confirmed this post." };
  const urns = checkpoint.assets.flatMap((a) => (a ? [a.urn] : []));
  return reconcileByListing(ctx, job, authorOf(job), urns);
}

export const linkedinPublisher: PublishAdapter = {
  platform: "linkedin",
  leadSeconds: (format, media) => leadFrom(LINKEDIN_LEAD_SECONDS[format], media),
  prepare,
  commit,
  reconcile,

  /** `DELETE /rest/posts/{encoded urn}` (§4.2); a post LinkedIn no longer knows (404) is already removed. */
  async deleteRemote(ctx, ref) {
    const answer = await linkedinSend(ctx, `${REST}/posts/${encodeURIComponent(ref.remoteId)}`, z.unknown(), { method: "DELETE", token: ref.accessToken, author: authorOf(ref) });
    if (answer.ok || answer.gone) return { ok: true };
    return { ok: false, failure: answer.failure };
  },
};

import type { SandboxObject, SandboxPost, SandboxStore } from "../store/store";
import { pick } from "./graph-common";
import { DAY, graphTime } from "./meta-publish-common";
import { META_IG_ACCOUNTS } from "./meta-world";

/**
 * Instagram containers and published media (instagram.md §2, §2.5): the stored shape, the status
 * derived lazily from sandbox time, and how Graph renders them.
 *
 * State machine: IN_PROGRESS → FINISHED | ERROR (at `readyAt`), FINISHED → PUBLISHED (media_publish),
 * any unpublished container → EXPIRED 24 h after creation. A resumable container stays IN_PROGRESS
 * until its bytes arrive on rupload. A carousel is IN_PROGRESS while any child is, ERROR if a child is.
 */
export type IgMediaType = "IMAGE" | "VIDEO" | "REELS" | "STORIES" | "CAROUSEL";

export type IgContainer = {
  mediaType: IgMediaType;
  isCarouselItem: boolean;
  caption: string;
  imageUrl: string | null;
  videoUrl: string | null;
  children: string[];
  resumable: boolean;
  fileSize: number | null;
  received: number;
  head: string | null;
  /** When processing ends (null: bytes not yet uploaded). */
  readyAt: number | null;
  /** Set when processing fails: the subcode the ERROR status names. */
  failureSubcode: number | null;
  shareToFeed: boolean;
  publishedMediaId: string | null;
  options: Record<string, string>;
};

export type IgStatusCode = "IN_PROGRESS" | "FINISHED" | "ERROR" | "EXPIRED" | "PUBLISHED";

export const isIgContainer = (o: SandboxObject | null): o is SandboxObject<IgContainer> => o?.platform === "instagram" && o.kind === "container";

/** Status texts as clients log them; the FINISHED/PUBLISHED/EXPIRED wording is unverified. */
const STATUS_TEXT: Record<Exclude<IgStatusCode, "ERROR">, string> = {
  IN_PROGRESS: "In Progress: Media is still being processed.",
  FINISHED: "Finished: Media has been uploaded and it is ready to be published.",
  PUBLISHED: "Published: Media has been published.",
  EXPIRED: "Expired: Media has not been published within 24 hours and has expired.",
};

export function containerStatus(store: SandboxStore, object: SandboxObject<IgContainer>): { code: IgStatusCode; text: string; subcode: number | null } {
  const c = object.data;
  const now = store.now();
  const of = (code: Exclude<IgStatusCode, "ERROR">) => ({ code, text: STATUS_TEXT[code], subcode: null });
  const error = (subcode: number) => ({ code: "ERROR" as const, text: `Error: Media upload has failed with error code ${subcode}`, subcode });
  if (c.publishedMediaId) return of("PUBLISHED");
  if (now - object.created_at >= DAY) return of("EXPIRED");
  if (c.readyAt === null || now < c.readyAt) return of("IN_PROGRESS");
  if (c.failureSubcode !== null) return error(c.failureSubcode);
  if (c.mediaType === "CAROUSEL") {
    const children = c.children.map((id) => store.publishing.object<IgContainer>(id)).filter(isIgContainer).map((child) => containerStatus(store, child).code);
    // A failed or expired child fails the carousel (2207028: carousel validation failed).
    if (children.some((s) => s === "ERROR" || s === "EXPIRED")) return error(2207028);
    if (children.some((s) => s === "IN_PROGRESS")) return of("IN_PROGRESS");
  }
  return of("FINISHED");
}

/** `GET /{container-id}?fields=status_code,status,…`. */
export function renderContainer(store: SandboxStore, object: SandboxObject<IgContainer>, fields: Set<string>): Record<string, unknown> {
  const status = containerStatus(store, object);
  const isVideo = object.data.videoUrl !== null || object.data.resumable;
  return pick(
    {
      id: object.id,
      status_code: status.code,
      status: status.text,
      media_type: object.data.mediaType,
      is_carousel_item: object.data.isCarouselItem,
      children: object.data.children.length > 0 ? { data: object.data.children.map((id) => ({ id })) } : undefined,
      copyright_check_status: isVideo ? { status: status.code === "FINISHED" || status.code === "PUBLISHED" ? "completed" : "in_progress", matches_found: false } : undefined,
    },
    fields,
  );
}

/** IG shortcodes are the media id in a base64 alphabet. */
export function shortcodeOf(mediaId: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  let n = BigInt(mediaId);
  let out = "";
  while (n > 0n) {
    out = alphabet[Number(n % 64n)] + out;
    n /= 64n;
  }
  return out || "A";
}

/** The kind recorded in `/_sandbox/posts` and the Graph `media_type` / `media_product_type` of published media. */
export function igKinds(c: IgContainer): { kind: string; mediaType: string; productType: string } {
  if (c.mediaType === "CAROUSEL") return { kind: "carousel", mediaType: "CAROUSEL_ALBUM", productType: "FEED" };
  if (c.mediaType === "REELS") return { kind: "reel", mediaType: "VIDEO", productType: "REELS" };
  if (c.mediaType === "STORIES") return { kind: "story", mediaType: c.videoUrl || c.resumable ? "VIDEO" : "IMAGE", productType: "STORY" };
  return { kind: "image", mediaType: "IMAGE", productType: "FEED" };
}

export function igPermalink(igId: string, mediaId: string, kind: string): string {
  if (kind === "story") return `https://www.instagram.com/stories/${META_IG_ACCOUNTS.find((a) => a.id === igId)?.username ?? igId}/${mediaId}/`;
  return `https://www.instagram.com/${kind === "reel" ? "reel" : "p"}/${shortcodeOf(mediaId)}/`;
}

/** `GET /{ig-media-id}?fields=id,permalink,media_type,timestamp,caption,…`. */
export function renderIgMedia(store: SandboxStore, post: SandboxPost, fields: Set<string>): Record<string, unknown> {
  const account = META_IG_ACCOUNTS.find((a) => a.id === post.account_id);
  const comments = store.publishing.objectsOf("instagram", post.account_id, "comment").filter((o) => o.data.parentId === post.id).length;
  const children = (post.data.childMediaIds as string[] | undefined) ?? [];
  return pick(
    {
      id: post.id,
      caption: post.text || undefined,
      media_type: post.data.mediaType,
      media_product_type: post.data.productType,
      media_url: post.kind === "carousel" ? undefined : post.media[0],
      permalink: post.permalink,
      shortcode: post.kind === "story" ? undefined : shortcodeOf(post.id),
      timestamp: graphTime(post.published_at),
      username: account?.username,
      owner: { id: post.account_id },
      like_count: 0,
      comments_count: comments,
      is_comment_enabled: true,
      children: children.length > 0 ? { data: children.map((id) => ({ id })) } : undefined,
    },
    fields,
  );
}

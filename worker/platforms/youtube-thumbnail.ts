import { z } from "zod";
import { YOUTUBE_THUMBNAIL } from "../domain/capabilities/youtube";
import type { PublishMedia } from "../publishing/types";
import { withQuery } from "./http";
import type { AdapterContext, PlatformFailure } from "./types";
import { youtubeSend } from "./youtube-video-api";

const THUMBNAIL_URL = "https://www.googleapis.com/upload/youtube/v3/thumbnails/set";
const ThumbnailSet = z.object({ items: z.array(z.unknown()).default([]) });

/**
 * `thumbnails.set` (youtube.md §2.5): the image's bytes (JPEG/PNG ≤ 2 MB, read whole: it is small).
 * YouTube's 403 `forbidden` here means the channel is not verified, not a token problem, so it is
 * told as such instead of asking the person to reconnect.
 */
export async function setThumbnail(ctx: AdapterContext, token: string, videoId: string, image: PublishMedia): Promise<{ ok: true } | { ok: false; failure: PlatformFailure }> {
  if (!YOUTUBE_THUMBNAIL.mimeTypes.includes(image.mimeType) || image.sizeBytes > YOUTUBE_THUMBNAIL.maxBytes) {
    return { ok: false, failure: { kind: "fatal", message: "YouTube accepts custom thumbnails only as JPEG or PNG images of at most 2 MB; choose another thumbnail." } };
  }
  const bytes = await new Response(await image.read(0, image.sizeBytes)).arrayBuffer();
  const answer = await youtubeSend(ctx, withQuery(THUMBNAIL_URL, { videoId, uploadType: "media" }), ThumbnailSet, token, { method: "POST", body: bytes, headers: { "content-type": image.mimeType } });
  if (answer.ok) return { ok: true };
  if (answer.failure.platformCode === "forbidden") {
    return { ok: false, failure: { ...answer.failure, kind: "fatal", message: "YouTube allows custom thumbnails only on verified channels. Verify the channel at youtube.com/verify, or remove the thumbnail from this post." } };
  }
  if (answer.failure.kind === "fatal") return { ok: false, failure: { ...answer.failure, message: `YouTube did not accept the thumbnail. ${answer.failure.message}` } };
  return { ok: false, failure: answer.failure };
}

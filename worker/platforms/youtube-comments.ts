import { z } from "zod";
import { withQuery } from "./http";
import type { AdapterContext, PlatformFailure } from "./types";
import { youtubeSend } from "./youtube-video-api";

/**
 * `commentThreads.list` by `videoId`, newest first (`order=time`), 100 threads a page, with the
 * `replies` part (YouTube includes only some replies of a thread there; the rest would need
 * `comments.list`, which the poller does not spend quota on). Each call costs 1 quota unit (youtube.md §4).
 */
const THREADS_URL = "https://www.googleapis.com/youtube/v3/commentThreads";
export const YOUTUBE_THREADS_PAGE = 100;

export const YoutubeComment = z.object({
  id: z.string().min(1),
  snippet: z.object({
    videoId: z.string().optional(),
    textOriginal: z.string().optional(),
    textDisplay: z.string().default(""),
    parentId: z.string().optional(),
    authorDisplayName: z.string().optional(),
    authorChannelId: z.object({ value: z.string() }).optional(),
    publishedAt: z.string(),
    updatedAt: z.string().optional(),
  }),
});
export type YoutubeComment = z.infer<typeof YoutubeComment>;

const CommentThread = z.object({
  id: z.string().min(1),
  snippet: z.object({ topLevelComment: YoutubeComment, totalReplyCount: z.number().optional() }),
  replies: z.object({ comments: z.array(YoutubeComment).default([]) }).optional(),
});
export type YoutubeCommentThread = z.infer<typeof CommentThread>;

const ThreadList = z.object({ nextPageToken: z.string().optional(), items: z.array(CommentThread).default([]) });

export type YoutubeThreadPage = { ok: true; threads: YoutubeCommentThread[]; nextPageToken: string | null } | { ok: false; failure: PlatformFailure };

export async function listCommentThreads(ctx: AdapterContext, token: string, videoId: string, pageToken: string | null): Promise<YoutubeThreadPage> {
  const url = withQuery(THREADS_URL, { part: "snippet,replies", videoId, order: "time", maxResults: String(YOUTUBE_THREADS_PAGE), pageToken: pageToken ?? undefined, textFormat: "plainText" });
  const answer = await youtubeSend(ctx, url, ThreadList, token);
  if (!answer.ok) return { ok: false, failure: answer.failure };
  return { ok: true, threads: answer.value.items, nextPageToken: answer.value.nextPageToken ?? null };
}

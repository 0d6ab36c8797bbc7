import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { and, eq } from "drizzle-orm";
import { Id } from "../contracts/common";
import { YoutubeVideoDetails, YoutubeVideoEdit } from "../contracts/youtube";
import { youtube as capabilities } from "../domain/capabilities/youtube";
import { textLength } from "../domain/text-length";
import { findPost, type TargetRow } from "../db/queries/posts";
import { postTargets } from "../db/schema";
import type { AppEnv } from "../http/app-env";
import { audit } from "../http/audit";
import { jsonBody, jsonContent, problems } from "../http/openapi";
import { conflict, notFound, ProblemError, type FieldError } from "../http/problems";
import { newRouter } from "../http/router";
import { requireRole } from "../http/tenancy";
import { publishLive } from "../live/publish";
import type { Outcome, PlatformFailure } from "../platforms/types";
import { readVideoDetails, updateVideo } from "../platforms/youtube-video-api";
import { targetPlatformCall } from "./target-platform-call";

/** `GET` / `PATCH /{id}/posts/{postId}/targets/{targetId}/youtube` (contract: worker/contracts/youtube.ts). */
const TargetParams = z.object({ id: Id, postId: Id, targetId: Id });
const PATH = "/{id}/posts/{postId}/targets/{targetId}/youtube";
const EDIT = "Viewers can see published videos but not change them.";
const DESCRIPTION_MAX_BYTES = 5000;

const readVideo = createRoute({
  method: "get", path: PATH, tags: ["publishing"], summary: "A published YouTube video's title, description, tags, category, privacy and audience, as YouTube has them now",
  request: { params: TargetParams },
  responses: { 200: jsonContent(YoutubeVideoDetails, "The video's live details."), 401: problems[401], 404: problems[404], 409: problems[409], 502: problems[502] },
});
const editVideo = createRoute({
  method: "patch", path: PATH, tags: ["publishing"], summary: "Change a published YouTube video's details; fields left out stay as they are on YouTube",
  request: { params: TargetParams, body: jsonBody(YoutubeVideoEdit) },
  responses: { 200: jsonContent(YoutubeVideoDetails, "The video's details after the change."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 409: problems[409], 502: problems[502] },
});

/** The post's YouTube channel in this workspace that is live on YouTube, or the reason it cannot be read or edited. */
async function publishedVideoTarget(c: Context<AppEnv>, workspaceId: string, postId: string, targetId: string): Promise<TargetRow & { remoteId: string }> {
  const post = await findPost(c.var.db, workspaceId, postId);
  const target = post && (await c.var.db.select().from(postTargets).where(and(eq(postTargets.postId, postId), eq(postTargets.id, targetId))).get());
  if (!post || !target || target.platform !== "youtube") throw notFound("This YouTube channel of the post");
  if (target.state !== "published" || !target.remoteId) throw conflict("This video is not on YouTube yet, so there is nothing to read or change there; edit the post instead.");
  if (target.remoteDeletedAt !== null) throw conflict("This video was deleted from YouTube through Atelier, so it can no longer be changed.");
  return { ...target, remoteId: target.remoteId };
}

/** YouTube's refusal as a problem: a video deleted on YouTube is a conflict, anything else a 502 with the reason. */
function orRefusal<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  const failure: PlatformFailure = outcome.failure;
  if (failure.platformCode === "videoNotFound") throw conflict(failure.message);
  throw new ProblemError("platform-refused", `YouTube did not do it: ${failure.message}`);
}

/** The composer's sentences for the YouTube options and description rules, per sent field. */
function editProblems(edit: YoutubeVideoEdit): FieldError[] {
  const problems: FieldError[] = [];
  if (Object.keys(edit).length === 0) problems.push({ path: "", message: "Change at least one field of the video." });
  const optionKeys = ["title", "tags", "categoryId", "privacyStatus", "madeForKids"] as const;
  const sent = optionKeys.filter((k) => edit[k] !== undefined);
  if (sent.length > 0) {
    // Fields not sent get valid stand-ins, so only the sent ones can be reported.
    const candidate = { title: "stand-in", privacyStatus: "private", madeForKids: false, ...Object.fromEntries(sent.map((k) => [k, edit[k]])) };
    const parsed = capabilities.formats.video?.options.safeParse(candidate);
    for (const issue of parsed && !parsed.success ? parsed.error.issues : []) problems.push({ path: issue.path.map(String).join("."), message: issue.message });
  }
  if (edit.description !== undefined) {
    const bytes = textLength(edit.description, "utf8_bytes");
    if (bytes > DESCRIPTION_MAX_BYTES) problems.push({ path: "description", message: `YouTube allows at most 5,000 bytes here; this text has ${bytes.toLocaleString("en-US")}.` });
    if (/[<>]/.test(edit.description)) problems.push({ path: "description", message: "YouTube does not accept “<” or “>” in this text." });
  }
  return problems;
}

const thumbnailOf = (target: TargetRow) => (typeof target.options.thumbnailMediaId === "string" ? target.options.thumbnailMediaId : null);

export const youtubeVideoRoutes = newRouter()
  .openapi(readVideo, async (c) => {
    const { id, postId, targetId } = c.req.valid("param");
    const target = await publishedVideoTarget(c, id, postId, targetId);
    const { ctx, accessToken } = await targetPlatformCall(c, target);
    const details = orRefusal(await readVideoDetails(ctx, accessToken, target.remoteId));
    return c.json({ ...details, thumbnailMediaId: thumbnailOf(target) }, 200);
  })
  .openapi(editVideo, async (c) => {
    const { id, postId, targetId } = c.req.valid("param");
    requireRole(c.var.membership.role, "contributor", EDIT);
    const raw = c.req.valid("json");
    const edit: YoutubeVideoEdit = raw.title === undefined ? raw : { ...raw, title: raw.title.trim() };
    const problems = editProblems(edit);
    if (problems.length > 0) throw new ProblemError("validation", "Some of the video's new details need attention.", { errors: problems });
    const target = await publishedVideoTarget(c, id, postId, targetId);
    const { ctx, accessToken } = await targetPlatformCall(c, target);
    const details = orRefusal(await updateVideo(ctx, accessToken, target.remoteId, edit));

    // Atelier shows what YouTube now has for the fields that were changed.
    const options = { ...target.options };
    for (const key of ["title", "tags", "categoryId", "privacyStatus", "madeForKids"] as const) if (edit[key] !== undefined) options[key] = details[key];
    const now = c.var.clock();
    await c.var.db.batch([
      c.var.db.update(postTargets).set({ options, ...(edit.description !== undefined ? { textOverride: details.description } : {}), updatedAt: now }).where(eq(postTargets.id, target.id)),
      audit(c, { workspaceId: id, action: "post.youtube_video_edited", targetType: "post", targetId: postId, detail: { targetId, videoId: target.remoteId, fields: Object.keys(edit) } }),
    ]);
    await publishLive(c, id, { kind: "target.changed", postId, targetId, state: target.state });
    return c.json({ ...details, thumbnailMediaId: thumbnailOf(target) }, 200);
  });

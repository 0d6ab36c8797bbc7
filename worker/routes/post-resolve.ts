import type { z } from "zod";
import type { TargetInput } from "../contracts/posts";
import { connectionsByIds, mediaByIds, type ConnectionRow, type MediaRow } from "../db/queries/posts";
import type { Database } from "../db/client";
import { capabilitiesFor } from "../domain/capabilities";
import type { FieldProblem, MediaFacts, PostDraft, PostReport } from "../domain/post-validation";
import { ProblemError } from "../http/problems";

type TargetIn = z.infer<typeof TargetInput>;

export type ResolvedTarget = TargetIn & { platform: string; connection: ConnectionRow };
export type ResolvedPost = { draft: PostDraft; targets: ResolvedTarget[]; media: MediaRow[] };

export const mediaFacts = (m: MediaRow): MediaFacts => ({ id: m.id, kind: m.kind, mimeType: m.mimeType, sizeBytes: m.sizeBytes, width: m.width, height: m.height, durationMs: m.durationMs });

function thumbnailIds(targets: TargetIn[]): string[] {
  return targets.map((t) => t.options.thumbnailMediaId).filter((v): v is string => typeof v === "string" && v.length > 0);
}

/**
 * Looks the post's channels and files up in THIS workspace. A target naming a connection of another
 * workspace, a disconnected one or one waiting for reconnection, or a file that is not a ready file of
 * this workspace, is a 400 at its path (`targets.2.connectionId`, `mediaIds.0`): nothing is written.
 */
export async function resolvePost(db: Database, workspaceId: string, input: { baseText: string; firstComment: string | null; mediaIds: string[]; targets: TargetIn[] }): Promise<ResolvedPost> {
  const [connections, files] = await Promise.all([
    connectionsByIds(db, workspaceId, input.targets.map((t) => t.connectionId)),
    mediaByIds(db, workspaceId, [...input.mediaIds, ...thumbnailIds(input.targets)]),
  ]);
  const errors: FieldProblem[] = [];
  const seen = new Set<string>();
  const targets: ResolvedTarget[] = [];
  input.targets.forEach((t, i) => {
    const path = `targets.${i}.connectionId`;
    const connection = connections.get(t.connectionId);
    if (!connection || connection.status === "disconnected") errors.push({ path, message: "This channel is not connected to this workspace." });
    else if (connection.status !== "active") errors.push({ path, message: `${connection.name} needs to be reconnected before posts can use it.` });
    else if (!capabilitiesFor(connection.platform)) errors.push({ path, message: `${connection.name} is a content source, not a channel: it cannot publish posts.` });
    else if (seen.has(t.connectionId)) errors.push({ path, message: "This channel is already a target of this post." });
    else targets.push({ ...t, platform: connection.platform, connection });
    seen.add(t.connectionId);
  });
  const media: MediaRow[] = [];
  input.mediaIds.forEach((id, i) => {
    const file = files.get(id);
    if (!file) errors.push({ path: `mediaIds.${i}`, message: "This file is not in this workspace's library." });
    else if (file.status !== "ready") errors.push({ path: `mediaIds.${i}`, message: `${file.name} has not finished uploading.` });
    else media.push(file);
  });
  if (errors.length) throw new ProblemError("validation", "Some channels or files of this post cannot be used.", { errors });
  const library = Object.fromEntries([...files.values()].filter((f) => f.status === "ready").map((f) => [f.id, mediaFacts(f)]));
  return {
    targets,
    media,
    draft: {
      text: input.baseText,
      firstComment: input.firstComment,
      media: media.map(mediaFacts),
      library,
      targets: targets.map((t) => ({ connectionId: t.connectionId, platform: t.platform, channelKind: t.connection.kind, format: t.format, options: t.options, textOverride: t.textOverride ?? null })),
    },
  };
}

/** A report's problems as one flat list of request paths (`targets.1.media.0`), for a 400 problem. */
export function reportErrors(report: PostReport): FieldProblem[] {
  return [...report.post, ...report.targets.flatMap((t, i) => t.problems.map((p) => ({ path: `targets.${i}.${p.path}`, message: p.message })))];
}

export const toReport = (report: PostReport) => ({ valid: report.valid, post: report.post, targets: report.targets });

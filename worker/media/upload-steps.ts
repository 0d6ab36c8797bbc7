import type { Context } from "hono";
import { insertWithinQuota, type MediaRow, usedBytes } from "../db/queries/media";
import type { AppEnv } from "../http/app-env";
import { ProblemError } from "../http/problems";
import { newId } from "../security/ids";
import { loadLimits } from "./access";
import { fileTooLarge, quotaExceeded, type WorkspaceLimits } from "./limits";

/** Enough bytes to recognise every accepted type (ISO-BMFF needs 12, WebP 12, PNG 8). */
export const SNIFF_BYTES = 64;

export const badRequest = (detail: string, path: string, message: string) => new ProblemError("validation", detail, { errors: [{ path, message }] });

export function contentLength(c: Context<AppEnv>): number {
  const raw = c.req.header("Content-Length");
  const length = raw && /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(length) || length <= 0) throw badRequest("Send the file's exact size in the Content-Length header.", "Content-Length", "Required, and more than 0.");
  return length;
}

export function fileName(c: Context<AppEnv>): string {
  const raw = c.req.header("X-File-Name");
  if (!raw) return "Untitled";
  let name: string;
  try {
    name = decodeURIComponent(raw).trim();
  } catch {
    throw badRequest("The X-File-Name header must be URI-encoded (encodeURIComponent).", "X-File-Name", "Not valid URI encoding.");
  }
  if (name.length < 1 || name.length > 200) throw badRequest("File names have 1 to 200 characters.", "X-File-Name", "Between 1 and 200 characters.");
  return name;
}

/** Refuses before a byte is stored: the workspace's largest-file limit, then its quota (counting uploads in progress). */
export async function checkLimits(c: Context<AppEnv>, workspaceId: string, sizeBytes: number): Promise<WorkspaceLimits> {
  const limits = await loadLimits(c, workspaceId);
  if (sizeBytes > limits.mediaMaxFileBytes) throw fileTooLarge(limits.mediaMaxFileBytes);
  const used = await usedBytes(c.var.db, workspaceId);
  if (used + sizeBytes > limits.mediaQuotaBytes) throw quotaExceeded(limits, used);
  return limits;
}

export function newRow(c: Context<AppEnv>, workspaceId: string, name: string, sizeBytes: number, uploadId: string | null): MediaRow {
  const now = c.var.clock();
  return {
    id: newId(), workspaceId, status: "uploading", kind: null, mimeType: null, name, sizeBytes, width: null, height: null, durationMs: null, videoCodec: null, audioCodec: null,
    frameRate: null, altText: null, tags: [], posterKey: null, uploadId, createdBy: c.var.auth.user.id, createdAt: now, updatedAt: now,
  };
}

/** Reserves the row (its bytes count against the quota from now on), or refuses if another upload got there first. */
export async function reserve(c: Context<AppEnv>, row: MediaRow, limits: WorkspaceLimits): Promise<void> {
  if (await insertWithinQuota(c.var.db, row, limits.mediaQuotaBytes)) return;
  throw quotaExceeded(limits, await usedBytes(c.var.db, row.workspaceId));
}


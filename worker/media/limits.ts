import { ProblemError } from "../http/problems";

/** Small uploads arrive in one request; anything larger goes through the multipart flow. */
export const SMALL_UPLOAD_MAX_BYTES = 100 * 1024 * 1024;
/** Every part but the last has exactly this size (R2 wants ≥ 5 MiB and at most 10,000 parts: 100 GB). */
export const PART_SIZE_BYTES = 10 * 1024 * 1024;
export const MAX_PARTS = 10_000;
export const POSTER_MAX_BYTES = 2 * 1024 * 1024;

/** "2 GB", "50 GB", "100 MB": binary units, trimmed, as people read them. */
export function formatBytes(bytes: number): string {
  const units: [number, string][] = [
    [1024 ** 4, "TB"],
    [1024 ** 3, "GB"],
    [1024 ** 2, "MB"],
    [1024, "KB"],
  ];
  for (const [size, unit] of units) if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  return `${bytes} bytes`;
}

export type WorkspaceLimits = { mediaMaxFileBytes: number; mediaQuotaBytes: number };

export function fileTooLarge(maxBytes: number): ProblemError {
  return new ProblemError("payload-too-large", `Files can be at most ${formatBytes(maxBytes)} in this workspace.`);
}

export function quotaExceeded(limits: WorkspaceLimits, used: number): ProblemError {
  return new ProblemError(
    "payload-too-large",
    `This file would take the media library past its ${formatBytes(limits.mediaQuotaBytes)} quota (${formatBytes(used)} used). Delete some files first.`,
  );
}

export const notAccepted = () => new ProblemError("unsupported-media-type", "This file is not a JPEG, PNG, GIF or WebP image, or an MP4 or MOV video, whatever its name says.");

export function partCountFor(sizeBytes: number): number {
  return Math.ceil(sizeBytes / PART_SIZE_BYTES);
}

export function expectedPartSize(sizeBytes: number, partNumber: number): number {
  const count = partCountFor(sizeBytes);
  return partNumber < count ? PART_SIZE_BYTES : sizeBytes - PART_SIZE_BYTES * (count - 1);
}

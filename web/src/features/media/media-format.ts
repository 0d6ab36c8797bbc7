import type { Media } from "../../../../worker/contracts/media.ts";

const UNITS = ["B", "KB", "MB", "GB"] as const;

/** "512 B", "3.4 MB": decimal units, as file managers show them. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

/** "0:07", "12:03", "1:02:03". */
export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** "About 2 minutes left", from the bytes still to send at the current speed. */
export function formatRemaining(bytesLeft: number, bytesPerSecond: number): string {
  const seconds = Math.ceil(bytesLeft / bytesPerSecond);
  if (seconds < 60) return `${seconds} s left`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `About ${minutes} min left` : `About ${Math.round(minutes / 60)} h left`;
}

export const KIND_LABEL = { image: "Image", video: "Video" } as const;

export function kindLabel(m: Media): string {
  return m.kind ? KIND_LABEL[m.kind] : m.status === "uploading" ? "Uploading" : "File";
}

export const dimensions = (m: Media): string | null => (m.width && m.height ? `${m.width} × ${m.height}` : null);

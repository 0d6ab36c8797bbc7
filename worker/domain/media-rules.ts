import { describeRange, describeRatio, inAspectRange } from "./aspect-ratio";
import type { FormatCapability, ImageRule, MediaKind, VideoRule } from "./capabilities/types";

/** What the validator needs to know about a library file (a subset of the Media contract). */
export type MediaFacts = {
  id: string;
  kind: MediaKind | null;
  mimeType: string | null;
  sizeBytes: number;
  width: number | null;
  height: number | null;
  durationMs: number | null;
};

export type FieldProblem = { path: string; message: string };

const MIME_NAMES: Record<string, string> = {
  "image/jpeg": "JPEG",
  "image/png": "PNG",
  "image/gif": "GIF",
  "image/webp": "WebP",
  "image/bmp": "BMP",
  "image/tiff": "TIFF",
  "image/heic": "HEIC",
  "video/mp4": "MP4",
  "video/quicktime": "MOV",
  "video/webm": "WebM",
  "video/x-msvideo": "AVI",
  "video/x-matroska": "MKV",
  "video/mpeg": "MPEG",
};

export const mimeName = (mime: string | null) => (mime ? (MIME_NAMES[mime] ?? mime) : "an unknown type");

export function orList(items: string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

export function formatBytes(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${Math.round(value * 10) / 10} ${units[unit]}`;
}

/** "up to 4 MB; this one is 5.5 MB", or in bytes when both would round to the same figure. */
function tooLarge(name: string, what: string, max: number, size: number): string {
  if (formatBytes(max) !== formatBytes(size)) return `${name} accepts ${what} up to ${formatBytes(max)}; this one is ${formatBytes(size)}.`;
  return `${name} accepts ${what} up to ${formatBytes(max)} (${max.toLocaleString("en-US")} bytes); this one is ${size.toLocaleString("en-US")} bytes.`;
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 100) / 10;
  if (seconds < 60) return `${seconds} ${seconds === 1 ? "second" : "seconds"}`;
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const part = (n: number, unit: string) => (n ? [`${n} ${unit}${n === 1 ? "" : "s"}`] : []);
  return [...part(h, "hour"), ...part(m, "minute"), ...part(s, "second")].join(" ");
}

/** "A Facebook photo", "An Instagram reel". */
export const withArticle = (phrase: string) => `${/^[aeiou]/i.test(phrase) ? "An" : "A"} ${phrase}`;

const noun = (kinds: MediaKind[], n: number) => {
  if (kinds.length === 1) return `${kinds[0] === "image" ? "image" : "video"}${n === 1 ? "" : "s"}`;
  return n === 1 ? "image or video" : "images or videos";
};

/** Count and kinds of the whole list, reported at `media`. */
export function checkMediaCount(name: string, format: FormatCapability, media: MediaFacts[]): FieldProblem[] {
  const { min, max, kinds } = format.media;
  const count = media.length;
  const what = `${name} ${format.label}`;
  if (max === 0 && count > 0) return [{ path: "media", message: `${withArticle(what)} cannot carry images or videos; choose another format or remove them.` }];
  if (count < min) return [{ path: "media", message: `${withArticle(what)} needs ${min === max ? "exactly" : "at least"} ${min} ${noun(kinds, min)}; this post has ${count}.` }];
  if (count > max) return [{ path: "media", message: `${withArticle(what)} can have at most ${max} ${noun(kinds, max)}; this post has ${count}.` }];
  return [];
}

function checkImage(name: string, rule: ImageRule, item: MediaFacts, path: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!item.mimeType || !rule.mimeTypes.includes(item.mimeType)) {
    problems.push({ path, message: `${name} accepts ${orList(rule.mimeTypes.map(mimeName))} images; this one is ${mimeName(item.mimeType)}.` });
  }
  if (item.sizeBytes > rule.maxBytes) problems.push({ path, message: tooLarge(name, "images", rule.maxBytes, item.sizeBytes) });
  if (item.width && item.height) {
    if (rule.aspect && !inAspectRange(item.width, item.height, rule.aspect)) {
      problems.push({ path, message: `${name} needs ${describeRange(rule.aspect)}; this image is ${describeRatio(item.width, item.height)}.` });
    }
    if (rule.minWidth && item.width < rule.minWidth) problems.push({ path, message: `${name} needs images at least ${rule.minWidth} pixels wide; this one is ${item.width}.` });
    if (rule.maxPixels && item.width * item.height > rule.maxPixels) {
      problems.push({ path, message: `${name} accepts images of at most ${rule.maxPixels.toLocaleString("en-US")} pixels; this one has ${(item.width * item.height).toLocaleString("en-US")}.` });
    }
  }
  return problems;
}

function checkVideo(name: string, rule: VideoRule, item: MediaFacts, path: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!item.mimeType || !rule.mimeTypes.includes(item.mimeType)) {
    problems.push({ path, message: `${name} accepts ${orList(rule.mimeTypes.map(mimeName))} videos; this one is ${mimeName(item.mimeType)}.` });
  }
  if (item.sizeBytes > rule.maxBytes) problems.push({ path, message: tooLarge(name, "videos", rule.maxBytes, item.sizeBytes) });
  if (item.durationMs !== null) {
    if (item.durationMs < rule.minDurationMs) problems.push({ path, message: `${name} videos must be at least ${formatDuration(rule.minDurationMs)} long; this one is ${formatDuration(item.durationMs)}.` });
    if (item.durationMs > rule.maxDurationMs) problems.push({ path, message: `${name} videos can be at most ${formatDuration(rule.maxDurationMs)} long; this one is ${formatDuration(item.durationMs)}.` });
  }
  if (item.width && item.height) {
    if (rule.aspect && !inAspectRange(item.width, item.height, rule.aspect)) {
      problems.push({ path, message: `${name} needs ${describeRange(rule.aspect)}; this video is ${describeRatio(item.width, item.height)}.` });
    }
    const small = Math.min(item.width, item.height);
    const large = Math.max(item.width, item.height);
    if ((rule.minSidePx && small < rule.minSidePx) || (rule.maxSidePx && large > rule.maxSidePx)) {
      problems.push({ path, message: `${name} needs each side of a video to be ${rule.minSidePx ?? 1}–${rule.maxSidePx ?? "any"} pixels; this one is ${item.width}×${item.height}.` });
    }
  }
  return problems;
}

/** Each item against the format's kinds and per-kind rules, reported at `media.<index>`. */
export function checkMediaItems(name: string, format: FormatCapability, media: MediaFacts[]): FieldProblem[] {
  if (format.media.max === 0) return [];
  return media.flatMap((item, index) => {
    const path = `media.${index}`;
    if (!item.kind) return [{ path, message: `Item ${index + 1} is not an image or a video Atelier can read.` }];
    if (!format.media.kinds.includes(item.kind)) {
      return [{ path, message: `${withArticle(`${name} ${format.label}`)} takes ${noun(format.media.kinds, 2)} only; item ${index + 1} is ${item.kind === "image" ? "an image" : "a video"}.` }];
    }
    if (item.kind === "image" && format.image) return checkImage(name, format.image, item, path);
    if (item.kind === "video" && format.video) return checkVideo(name, format.video, item, path);
    return [];
  });
}

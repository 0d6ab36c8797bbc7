import { googleError } from "./google-youtube";
import { PRIVACY, type Ctx, type Privacy, type VideoSnippet, type VideoStatus } from "./youtube-video-store";

/**
 * The field rules of youtube.md §2.1, shared by `videos.insert` (upload session start) and
 * `videos.update`. A sent part REPLACES the stored one: every property left out is cleared (text
 * fields empty, tags none) or reset to YouTube's default (embeddable, license, public stats), as §3
 * says. A status part without `privacyStatus` resets it to private (unverified: YouTube's reference
 * only says omitted values are deleted; private is the safe reading).
 */
const encoder = new TextEncoder();
const invalid = (c: Ctx, reason: string, message: string) => googleError(c, 400, "INVALID_ARGUMENT", reason, message, "youtube.video");

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Tags count as their characters, +2 when they contain a space (quoted), plus a comma between them (unverified). */
function tagsLength(tags: string[]): number {
  return tags.reduce((sum, tag) => sum + [...tag].length + (tag.includes(" ") ? 2 : 0), 0) + Math.max(0, tags.length - 1);
}

/** `categoryRequired`: videos.update needs it (§3); an upload defaults it to 22 (People & Blogs). */
export function readSnippet(c: Ctx, raw: unknown, options: { categoryRequired: boolean }): VideoSnippet | Response {
  if (!isRecord(raw)) return invalid(c, "invalidVideoMetadata", "The request metadata is invalid.");
  const title = typeof raw.title === "string" ? raw.title : "";
  if (!title.trim()) return invalid(c, "invalidTitle", "The request metadata specifies an invalid or empty video title.");
  if ([...title].length > 100 || /[<>]/.test(title)) return invalid(c, "invalidTitle", "The request metadata specifies an invalid video title.");
  const description = raw.description === undefined ? "" : raw.description;
  if (typeof description !== "string" || encoder.encode(description).length > 5000 || /[<>]/.test(description)) return invalid(c, "invalidDescription", "The request metadata specifies an invalid video description.");
  const tags = raw.tags === undefined ? [] : raw.tags;
  if (!Array.isArray(tags) || !tags.every((t): t is string => typeof t === "string" && !/[<>]/.test(t)) || tagsLength(tags) > 500) return invalid(c, "invalidTags", "The request metadata specifies invalid video keywords.");
  let categoryId = raw.categoryId;
  if (categoryId === undefined && !options.categoryRequired) categoryId = "22";
  if (typeof categoryId !== "string" || !/^\d{1,3}$/.test(categoryId)) return invalid(c, "invalidCategoryId", "The snippet.categoryId property specifies an invalid category ID.");
  const defaultLanguage = typeof raw.defaultLanguage === "string" && raw.defaultLanguage ? raw.defaultLanguage : undefined;
  return { title, description, tags, categoryId, ...(defaultLanguage ? { defaultLanguage } : {}) };
}

export function readStatus(c: Ctx, raw: unknown, now: number): VideoStatus | Response {
  const status = raw === undefined ? {} : raw;
  if (!isRecord(status)) return invalid(c, "invalidVideoMetadata", "The request metadata is invalid.");
  const privacy = status.privacyStatus ?? "private";
  if (typeof privacy !== "string" || !PRIVACY.has(privacy as Privacy)) return invalid(c, "invalidVideoMetadata", "The request metadata specifies an invalid privacy status.");
  let publishAt: string | undefined;
  if (status.publishAt !== undefined && status.publishAt !== null) {
    const at = typeof status.publishAt === "string" ? Date.parse(status.publishAt) : NaN;
    // §2.1: scheduled publishing needs a private video and a time in the future.
    if (!Number.isFinite(at) || at <= now || privacy !== "private") return invalid(c, "invalidPublishAt", "The request metadata specifies an invalid scheduled publishing time.");
    publishAt = new Date(at).toISOString();
  }
  const kids = status.selfDeclaredMadeForKids;
  if (kids !== undefined && typeof kids !== "boolean") return invalid(c, "invalidVideoMetadata", "The request metadata specifies an invalid made-for-kids setting.");
  const license = status.license ?? "youtube";
  if (license !== "youtube" && license !== "creativeCommon") return invalid(c, "invalidVideoMetadata", "The request metadata specifies an invalid license.");
  return {
    privacyStatus: privacy as Privacy,
    embeddable: typeof status.embeddable === "boolean" ? status.embeddable : true,
    license,
    publicStatsViewable: typeof status.publicStatsViewable === "boolean" ? status.publicStatsViewable : true,
    ...(kids === undefined ? {} : { selfDeclaredMadeForKids: kids }),
    ...(publishAt ? { publishAt } : {}),
  };
}

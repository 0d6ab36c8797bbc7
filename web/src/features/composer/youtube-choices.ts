import { YOUTUBE_THUMBNAIL } from "../../../../worker/domain/capabilities/youtube.ts";
import type { Media } from "../../../../worker/contracts/media.ts";

/** YouTube's assignable categories (videoCategories.list, region US); 22 is YouTube's own default. */
export const YOUTUBE_CATEGORIES = [
  ["22", "People & Blogs"],
  ["1", "Film & Animation"],
  ["2", "Autos & Vehicles"],
  ["10", "Music"],
  ["15", "Pets & Animals"],
  ["17", "Sports"],
  ["19", "Travel & Events"],
  ["20", "Gaming"],
  ["23", "Comedy"],
  ["24", "Entertainment"],
  ["25", "News & Politics"],
  ["26", "Howto & Style"],
  ["27", "Education"],
  ["28", "Science & Technology"],
] as const;

export const YOUTUBE_PRIVACY = [
  ["public", "Public"],
  ["unlisted", "Unlisted"],
  ["private", "Private"],
] as const;

export const MADE_FOR_KIDS = [
  ["yes", "Yes, it's made for kids"],
  ["no", "No, it's not made for kids"],
] as const;

/** "a, b ,, c" → ["a", "b", "c"]: how a comma-separated tags field becomes YouTube's list. */
export const parseTags = (value: string): string[] =>
  value
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);

/** Why a library file cannot be a YouTube thumbnail (youtube.md §2.5: JPEG or PNG, at most 2 MB), or null when it can. */
export function thumbnailProblem(media: Pick<Media, "kind" | "mimeType" | "sizeBytes">): string | null {
  if (media.kind !== "image" || !media.mimeType || !YOUTUBE_THUMBNAIL.mimeTypes.includes(media.mimeType)) return "Only JPEG or PNG images can be thumbnails.";
  if (media.sizeBytes > YOUTUBE_THUMBNAIL.maxBytes) return "Thumbnails can be at most 2 MB.";
  return null;
}

import type { Platform } from "../../../../worker/contracts/connections.ts";
import { POST_FORMATS } from "../../../../worker/contracts/posts.ts";

export const FORMAT_LABEL: Record<string, string> = {
  post: "Post",
  photo: "Photo",
  multi_photo: "Several photos",
  video: "Video",
  reel: "Reel",
  feed: "Feed post",
  carousel: "Carousel",
  story: "Story",
  text: "Text",
  image: "Image",
  images: "Several images",
};

export const formatsFor = (platform: Platform): readonly string[] => POST_FORMATS[platform];

/** A sensible first format given the media chosen so far. */
export function defaultFormat(platform: Platform, media: { kind: "image" | "video" | null }[]): string {
  const formats = formatsFor(platform);
  const video = media.some((m) => m.kind === "video");
  const several = media.length > 1;
  const prefer: Partial<Record<Platform, string>> = {
    facebook: video ? "video" : several ? "multi_photo" : media.length ? "photo" : "post",
    instagram: video ? "reel" : several ? "carousel" : "feed",
    threads: video ? "video" : several ? "carousel" : media.length ? "image" : "text",
    linkedin: video ? "video" : several ? "images" : media.length ? "image" : "text",
  };
  const choice = prefer[platform];
  return choice && formats.includes(choice) ? choice : (formats[0] ?? "");
}

/** Platforms whose posts can carry a first comment published right after them. */
export const FIRST_COMMENT_PLATFORMS: ReadonlySet<Platform> = new Set(["facebook", "instagram"]);

import type { z } from "zod";

/**
 * How a platform counts a text's length. URLs are counted as written (no t.co-style shortening).
 * - `code_points`: Unicode code points (an emoji such as 😀 is 1; a flag or family emoji is several).
 * - `graphemes`: what a reader sees as one character (Intl.Segmenter).
 * - `utf8_bytes`: bytes once encoded as UTF-8 (é is 2, 😀 is 4).
 */
export type CountingRule = "code_points" | "graphemes" | "utf8_bytes";

export type MediaKind = "image" | "video";

/** A width:height ratio as integers (1.91:1 is 191:100), so boundaries compare exactly. */
export type Ratio = { w: number; h: number; label: string };
export type AspectRange = { min: Ratio; max: Ratio };

export type TextRule = {
  max: number;
  counting: CountingRule;
  /** The post needs some text on this format (e.g. a text-only post). */
  required?: boolean;
  /** Instagram: at most this many #hashtags and @mentions. */
  maxHashtags?: number;
  maxMentions?: number;
  /** Characters the platform refuses in this text (YouTube: `<` and `>`). */
  forbidden?: string[];
};

export type ImageRule = { mimeTypes: string[]; maxBytes: number; aspect?: AspectRange; minWidth?: number; maxPixels?: number };
export type VideoRule = { mimeTypes: string[]; maxBytes: number; minDurationMs: number; maxDurationMs: number; aspect?: AspectRange; minSidePx?: number; maxSidePx?: number };

export type FormatCapability = {
  label: string;
  /** `null`: the format publishes no text (Instagram stories), so text is neither checked nor sent. */
  text: TextRule | null;
  media: { min: number; max: number; kinds: MediaKind[] };
  image?: ImageRule;
  video?: VideoRule;
  /** The options this format accepts; parsed with zod, issues reported at `options.<key>`. */
  options: z.ZodType<Record<string, unknown>>;
  /**
   * The first comment posted right after the post (Facebook, Instagram), or `null` where the platform
   * has none: there the post's first comment is simply not posted.
   */
  firstComment: { max: number; counting: CountingRule } | null;
};

export type PlatformCapabilities = {
  platform: string;
  displayName: string;
  formats: Record<string, FormatCapability>;
};

export const ratio = (w: number, h: number, label = `${w}:${h}`): Ratio => ({ w, h, label });

export const MB = 1024 * 1024;
export const GB = 1024 * MB;
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;

import type { PublishJob } from "../publishing/types";

/**
 * What a checkpoint was built from (format, text, media, options), as a short hash. Platform objects
 * made in `prepare` bake some of it in (an Instagram container carries its caption); when the post is
 * edited after preparing, the old objects no longer match and are left to expire, invisibly.
 */
export async function preparedFrom(job: Pick<PublishJob, "format" | "text" | "media" | "options">, parts: { text: boolean }): Promise<string> {
  const basis = JSON.stringify([job.format, parts.text ? job.text : "", job.media.map((m) => [m.id, m.altText ?? ""]), job.options]);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(basis)));
  return Array.from(digest.subarray(0, 12), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Compares the text a platform lists with the text Atelier sent (platforms trim and normalise line ends). */
export function sameText(listed: string | undefined | null, sent: string): boolean {
  const norm = (s: string) => s.replace(/\r\n?/g, "\n").trim();
  return norm(listed ?? "") === norm(sent);
}

export const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;

import type { Context } from "hono";
import { IMAGE_TYPES, sniffImageType, type ImageType } from "../domain/image-type";
import type { AppEnv } from "./app-env";
import { ProblemError } from "./problems";

export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

/**
 * Reads a small image upload (avatar, logo) with a hard byte cap enforced while streaming, so a lying
 * or missing Content-Length cannot make the Worker buffer more than the cap. The magic bytes must
 * match an accepted type and the declared Content-Type.
 */
export async function readImageUpload(c: Context<AppEnv>): Promise<{ bytes: Uint8Array; type: ImageType }> {
  const declared = c.req.header("Content-Type")?.split(";")[0]?.trim().toLowerCase();
  if (!declared || !(IMAGE_TYPES as readonly string[]).includes(declared)) {
    throw new ProblemError("unsupported-media-type", "Upload a PNG, JPEG, GIF or WebP image.");
  }
  const tooLarge = () => new ProblemError("payload-too-large", `Images can be at most ${MAX_IMAGE_BYTES / 1024 / 1024} MB.`);
  const declaredLength = Number(c.req.header("Content-Length") ?? "0");
  if (declaredLength > MAX_IMAGE_BYTES) throw tooLarge();
  const body = c.req.raw.body;
  if (!body) throw new ProblemError("validation", "The request has no image in its body.", { errors: [{ path: "body", message: "Choose an image to upload." }] });

  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_IMAGE_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  if (total === 0) throw new ProblemError("validation", "The uploaded image is empty.", { errors: [{ path: "body", message: "Choose an image to upload." }] });
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  const sniffed = sniffImageType(bytes);
  if (!sniffed) throw new ProblemError("unsupported-media-type", "This file is not a PNG, JPEG, GIF or WebP image, whatever its name says.");
  if (sniffed !== declared) throw new ProblemError("unsupported-media-type", `This file is a ${sniffed.slice(6).toUpperCase()} image but was sent as ${declared}.`);
  return { bytes, type: sniffed };
}

/** Headers for serving a stored image privately, never sniffed into another type by the browser. */
export function imageHeaders(object: R2Object): Record<string, string> {
  return {
    "Content-Type": object.httpMetadata?.contentType ?? "application/octet-stream",
    ETag: object.httpEtag,
    "Cache-Control": "private, max-age=300",
    "X-Content-Type-Options": "nosniff",
    "Content-Disposition": "inline",
  };
}

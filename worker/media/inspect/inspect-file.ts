import { inspectImage, sniffImage } from "./image";
import { inspectIsoBmff, sniffIsoBmff, type ByteSource } from "./iso-bmff";

export type MediaFacts = {
  kind: "image" | "video";
  mimeType: string;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  videoCodec: string | null;
  audioCodec: string | null;
  frameRateMilli: number | null;
};

/** Images keep their size header near the start; EXIF and ICC segments before a JPEG's SOF rarely pass this. */
export const HEAD_BYTES = 512 * 1024;

/** What a stored file really is, from its bytes; null when it is not an accepted image or video. */
export async function inspectFile(source: ByteSource): Promise<MediaFacts | null> {
  const head = await source.read(0, Math.min(HEAD_BYTES, source.size));
  const image = inspectImage(head);
  if (image) return { kind: "image", ...image, durationMs: null, videoCodec: null, audioCodec: null, frameRateMilli: null };
  const video = await inspectIsoBmff(source, head);
  return video ? { kind: "video", ...video } : null;
}

/** True when the first bytes look like an accepted type: used to refuse an upload before storing any of it. */
export function looksAccepted(head: Uint8Array): boolean {
  return sniffImage(head) !== null || sniffIsoBmff(head) !== null;
}

export function arraySource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)) };
}

export function r2Source(bucket: R2Bucket, key: string, size: number): ByteSource {
  return {
    size,
    async read(offset, length) {
      const clamped = Math.min(length, size - offset);
      if (clamped <= 0) return new Uint8Array();
      const object = await bucket.get(key, { range: { offset, length: clamped } });
      return object ? new Uint8Array(await object.arrayBuffer()) : new Uint8Array();
    },
  };
}

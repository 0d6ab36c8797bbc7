import { fourcc, startsWith, u16be, u16le, u24le, u32be, u8 } from "./bytes";

export type ImageMime = "image/jpeg" | "image/png" | "image/gif" | "image/webp";
export type ImageInfo = { mimeType: ImageMime; width: number | null; height: number | null };

/** The image type from its magic bytes alone, never from a name or a declared type. */
export function sniffImage(head: Uint8Array): ImageMime | null {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(head, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(head, [0x47, 0x49, 0x46, 0x38]) && (head[4] === 0x37 || head[4] === 0x39) && head[5] === 0x61) return "image/gif";
  if (fourcc(head, 0) === "RIFF" && fourcc(head, 8) === "WEBP") return "image/webp";
  return null;
}

/** PNG: the first chunk must be IHDR, whose data starts with width and height (big-endian). */
export function pngSize(b: Uint8Array): { width: number; height: number } | null {
  if (fourcc(b, 12) !== "IHDR") return null;
  const width = u32be(b, 16);
  const height = u32be(b, 20);
  return width && height ? { width, height } : null;
}

/** GIF: the logical screen descriptor right after the 6-byte signature (little-endian). */
export function gifSize(b: Uint8Array): { width: number; height: number } | null {
  const width = u16le(b, 6);
  const height = u16le(b, 8);
  return width && height ? { width, height } : null;
}

// SOF0–SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
// Markers without a length field: TEM, RST0–7, SOI, EOI.
const isStandalone = (marker: number) => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9);

/**
 * JPEG: walk the marker segments from SOI until a start-of-frame marker, whose payload holds
 * precision (1 byte), height and width (2 bytes each). Stops at start-of-scan: the size comes before it.
 */
export function jpegSize(b: Uint8Array): { width: number; height: number } | null {
  let at = 2;
  while (at < b.length) {
    if (u8(b, at) !== 0xff) return null;
    let marker = u8(b, at + 1);
    // Any number of 0xFF fill bytes may precede a marker.
    while (marker === 0xff) marker = u8(b, ++at + 1);
    if (marker === null) return null;
    if (isStandalone(marker)) {
      at += 2;
      continue;
    }
    const length = u16be(b, at + 2);
    if (length === null || length < 2) return null;
    if (isStartOfFrame(marker)) {
      const height = u16be(b, at + 5);
      const width = u16be(b, at + 7);
      return width && height ? { width, height } : null;
    }
    if (marker === 0xda) return null;
    at += 2 + length;
  }
  return null;
}

/** WebP: a RIFF container whose first chunk is VP8 (lossy), VP8L (lossless) or VP8X (extended). */
export function webpSize(b: Uint8Array): { width: number; height: number } | null {
  const chunk = fourcc(b, 12);
  const data = 20;
  if (chunk === "VP8 ") {
    // Key frame: 3-byte frame tag, start code 9D 01 2A, then 14-bit width and height.
    if (!startsWith(b, [0x9d, 0x01, 0x2a], data + 3)) return null;
    const w = u16le(b, data + 6);
    const h = u16le(b, data + 8);
    return w !== null && h !== null ? { width: w & 0x3fff, height: h & 0x3fff } : null;
  }
  if (chunk === "VP8L") {
    // Signature 0x2F, then width−1 and height−1 as 14-bit fields packed little-endian.
    if (u8(b, data) !== 0x2f) return null;
    const b1 = u8(b, data + 1), b2 = u8(b, data + 2), b3 = u8(b, data + 3), b4 = u8(b, data + 4);
    if (b1 === null || b2 === null || b3 === null || b4 === null) return null;
    const width = 1 + (((b2 & 0x3f) << 8) | b1);
    const height = 1 + (((b4 & 0x0f) << 10) | (b3 << 2) | ((b2 & 0xc0) >> 6));
    return { width, height };
  }
  if (chunk === "VP8X") {
    // Flags (1 byte) + reserved (3), then canvas width−1 and height−1 as 24-bit little-endian.
    const w = u24le(b, data + 4);
    const h = u24le(b, data + 7);
    return w !== null && h !== null ? { width: w + 1, height: h + 1 } : null;
  }
  return null;
}

/** Type and pixel size of an image from its first bytes; the size is null when the header is not in `head`. */
export function inspectImage(head: Uint8Array): ImageInfo | null {
  const mimeType = sniffImage(head);
  if (!mimeType) return null;
  const size = { "image/png": pngSize, "image/gif": gifSize, "image/jpeg": jpegSize, "image/webp": webpSize }[mimeType](head);
  return { mimeType, width: size?.width ?? null, height: size?.height ?? null };
}

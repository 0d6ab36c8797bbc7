import { describe, expect, it } from "vitest";
import { gifSize, inspectImage, jpegSize, pngSize, sniffImage, webpSize } from "../../worker/media/inspect/image";
import { arraySource, inspectFile } from "../../worker/media/inspect/inspect-file";
import { inspectIsoBmff, parseMoov } from "../../worker/media/inspect/iso-bmff";
import { AAC, box, concatBytes, gif, H264_1080P, jpeg, moov, mp4, png, webpExtended, webpLossless, webpLossy } from "./fixtures";

describe("image headers", () => {
  it("reads a PNG's size from IHDR", () => {
    expect(inspectImage(png(640, 480))).toEqual({ mimeType: "image/png", width: 640, height: 480 });
    expect(pngSize(png(1, 70000))).toEqual({ width: 1, height: 70000 });
  });

  it.each([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf])("reads a JPEG's size from SOF marker 0x%s", (sof) => {
    expect(jpegSize(jpeg(4032, 3024, { sof }))).toEqual({ width: 4032, height: 3024 });
  });

  it("walks past a large APP1 (EXIF) segment and fill bytes to reach SOF", () => {
    expect(inspectImage(jpeg(1080, 1350, { exifBytes: 60_000, fill: true }))).toEqual({ mimeType: "image/jpeg", width: 1080, height: 1350 });
  });

  it("does not mistake DHT (0xC4) for a frame header, and gives no size when SOS comes first", () => {
    const dhtThenSos = Uint8Array.from([0xff, 0xd8, 0xff, 0xc4, 0x00, 0x04, 0x00, 0x00, 0xff, 0xda, 0x00, 0x02]);
    expect(jpegSize(dhtThenSos)).toBeNull();
    expect(inspectImage(dhtThenSos)).toEqual({ mimeType: "image/jpeg", width: null, height: null });
  });

  it("gives no size for a truncated JPEG instead of reading past the end", () => {
    expect(jpegSize(jpeg(100, 100).subarray(0, 30))).toBeNull();
  });

  it("reads a GIF's logical screen size", () => {
    expect(inspectImage(gif(320, 200))).toEqual({ mimeType: "image/gif", width: 320, height: 200 });
    expect(gifSize(gif(65535, 1))).toEqual({ width: 65535, height: 1 });
  });

  it("reads WebP sizes from VP8, VP8L and VP8X chunks", () => {
    expect(webpSize(webpLossy(1200, 628))).toEqual({ width: 1200, height: 628 });
    expect(webpSize(webpLossless(16383, 1))).toEqual({ width: 16383, height: 1 });
    expect(webpSize(webpLossless(500, 9999))).toEqual({ width: 500, height: 9999 });
    expect(inspectImage(webpExtended(16777216, 3000))).toEqual({ mimeType: "image/webp", width: 16777216, height: 3000 });
  });

  it("recognises types by magic bytes only", () => {
    expect(sniffImage(new TextEncoder().encode("GIF87a......"))).toBe("image/gif");
    expect(sniffImage(new TextEncoder().encode("RIFF\0\0\0\0WAVEfmt "))).toBeNull();
    expect(sniffImage(new TextEncoder().encode("<svg xmlns=...>"))).toBeNull();
    expect(inspectImage(new Uint8Array())).toBeNull();
  });
});

describe("MP4 / MOV boxes", () => {
  it("reads duration, size, codecs and frame rate with the moov at the end of the file", async () => {
    const file = mp4(200_000);
    expect(await inspectFile(arraySource(file))).toEqual({
      kind: "video",
      mimeType: "video/mp4",
      width: 1920,
      height: 1080,
      durationMs: 10_010,
      videoCodec: "avc1",
      audioCodec: "mp4a",
      frameRateMilli: 29_970,
    });
  });

  it("reads a moov at the start, reading only box headers and the moov by range", async () => {
    const file = mp4(5_000_000, { moovFirst: true });
    const reads: [number, number][] = [];
    const source = arraySource(file);
    const spying = { size: source.size, read: (o: number, l: number) => (reads.push([o, l]), source.read(o, l)) };
    expect(await inspectIsoBmff(spying, file.subarray(0, 64))).toMatchObject({ width: 1920, videoCodec: "avc1" });
    expect(reads.reduce((sum, [, l]) => sum + l, 0)).toBeLessThan(2_000);
  });

  it("recognises QuickTime by its qt brand, with HEVC video and no audio", async () => {
    const tracks = [{ handler: "vide" as const, codec: "hvc1", width: 3840, height: 2160, timescale: 600, samples: [{ count: 50, delta: 24 }, { count: 10, delta: 24 }] }];
    expect(await inspectFile(arraySource(mp4(4_096, { brand: "qt  ", tracks, durationMs: 2_400 })))).toEqual({
      kind: "video", mimeType: "video/quicktime", width: 3840, height: 2160, durationMs: 2_400, videoCodec: "hvc1", audioCodec: null, frameRateMilli: 25_000,
    });
  });

  it("reads version-1 (64-bit) mvhd, tkhd and mdhd", () => {
    const movie = moov(90_000, [{ ...H264_1080P, version1: true }, AAC], { mvhdVersion1: true });
    expect(parseMoov(movie)).toEqual({ width: 1920, height: 1080, durationMs: 90_000, videoCodec: "avc1", audioCodec: "mp4a", frameRateMilli: 29_970 });
  });

  it("handles a 64-bit largesize mdat box", async () => {
    const ftyp = box("ftyp", [0x69, 0x73, 0x6f, 0x6d], [0, 0, 0, 0]);
    const payload = new Uint8Array(1000);
    // size32 = 1, then largesize = 16 (header) + 1000 = 1016 = 0x3F8.
    const mdat = concatBytes([0, 0, 0, 1], [0x6d, 0x64, 0x61, 0x74], [0, 0, 0, 0, 0, 0, 0x03, 0xf8], payload);
    const file = concatBytes(ftyp, mdat, moov(1_000, [H264_1080P]));
    expect(await inspectFile(arraySource(file))).toMatchObject({ kind: "video", width: 1920, durationMs: 1_000, audioCodec: null });
  });

  it("refuses an audio-only file, a file without moov, and a box size that runs past the end", async () => {
    expect(await inspectFile(arraySource(mp4(10_000, { tracks: [AAC] })))).toBeNull();
    const noMoov = mp4(10_000).subarray(0, 9_000);
    expect(await inspectFile(arraySource(noMoov))).toBeNull();
    const lying = mp4(10_000);
    lying.set([0x7f, 0xff, 0xff, 0xff], 32); // the mdat claims 2 GB
    expect(await inspectFile(arraySource(lying))).toBeNull();
  });

  it("refuses text, even named like a video", async () => {
    expect(await inspectFile(arraySource(new TextEncoder().encode("this is a plain text file, not a movie")))).toBeNull();
  });
});

import { fourcc, u32be, u64be } from "./bytes";

/** Random access to a stored file (R2 ranged reads in production, an array in tests). */
export type ByteSource = { size: number; read(offset: number, length: number): Promise<Uint8Array> };

export type VideoInfo = {
  mimeType: "video/mp4" | "video/quicktime";
  width: number | null;
  height: number | null;
  durationMs: number | null;
  videoCodec: string | null;
  audioCodec: string | null;
  frameRateMilli: number | null;
};

type Box = { type: string; start: number; end: number };

/** A `moov` larger than this is refused rather than read into memory (real ones are kilobytes to a few MB). */
const MAX_MOOV_BYTES = 32 * 1024 * 1024;

/** ISO-BMFF (MP4, MOV): the first box is `ftyp`. QuickTime's major brand is `qt  `. */
export function sniffIsoBmff(head: Uint8Array): VideoInfo["mimeType"] | null {
  if (fourcc(head, 4) !== "ftyp") return null;
  const size = u32be(head, 0);
  if (size === null || size < 8) return null;
  return fourcc(head, 8) === "qt  " ? "video/quicktime" : "video/mp4";
}

/** The header of the box at `at` (size 1 = 64-bit size follows, size 0 = to the end), or null if malformed. */
function boxAt(b: Uint8Array, at: number, end: number): Box | null {
  const size32 = u32be(b, at);
  const type = fourcc(b, at + 4);
  if (size32 === null || type === null) return null;
  let header = 8;
  let size = size32;
  if (size32 === 1) {
    const large = u64be(b, at + 8);
    if (large === null) return null;
    size = large;
    header = 16;
  } else if (size32 === 0) {
    size = end - at;
  }
  if (size < header || at + size > end) return null;
  return { type, start: at + header, end: at + size };
}

function children(b: Uint8Array, parent: { start: number; end: number }, skip = 0): Box[] {
  const boxes: Box[] = [];
  let at = parent.start + skip;
  while (at + 8 <= parent.end) {
    const box = boxAt(b, at, parent.end);
    if (!box) break;
    boxes.push(box);
    at = box.end;
  }
  return boxes;
}

const child = (b: Uint8Array, parent: Box, type: string) => children(b, parent).find((x) => x.type === type);

/** Finds the top-level `moov` box by reading only box headers, wherever it is (start or end of the file). */
async function findMoov(source: ByteSource): Promise<{ offset: number; size: number } | null> {
  let at = 0;
  while (at + 8 <= source.size) {
    const header = await source.read(at, 16);
    const box = boxAt(header, 0, Math.min(16, source.size - at));
    let size: number | null;
    if (box) size = box.end;
    else {
      // The header fits but the box runs past what was read: take its declared size.
      const size32 = u32be(header, 0);
      size = size32 === 1 ? u64be(header, 8) : size32 === 0 ? source.size - at : size32;
    }
    const type = fourcc(header, 4);
    if (size === null || size < 8 || type === null || at + size > source.size) return null;
    if (type === "moov") return { offset: at, size };
    at += size;
  }
  return null;
}

type Track = { handler: string | null; width: number | null; height: number | null; codec: string | null; frameRateMilli: number | null };

function parseTrack(b: Uint8Array, trak: Box): Track {
  const track: Track = { handler: null, width: null, height: null, codec: null, frameRateMilli: null };
  const tkhd = child(b, trak, "tkhd");
  if (tkhd) {
    // Width and height are 16.16 fixed point after the version-dependent times, layer, volume and matrix.
    const at = tkhd.start + (b[tkhd.start] === 1 ? 88 : 76);
    const w = u32be(b, at);
    const h = u32be(b, at + 4);
    if (w && h) (track.width = Math.round(w / 65536)), (track.height = Math.round(h / 65536));
  }
  const mdia = child(b, trak, "mdia");
  if (!mdia) return track;
  const hdlr = child(b, mdia, "hdlr");
  if (hdlr) track.handler = fourcc(b, hdlr.start + 8);
  const mdhd = child(b, mdia, "mdhd");
  const timescale = mdhd ? u32be(b, mdhd.start + (b[mdhd.start] === 1 ? 20 : 12)) : null;
  const minf = child(b, mdia, "minf");
  const stbl = minf ? child(b, minf, "stbl") : undefined;
  if (!stbl) return track;
  const stsd = child(b, stbl, "stsd");
  if (stsd && (u32be(b, stsd.start + 4) ?? 0) > 0) track.codec = fourcc(b, stsd.start + 12)?.trim() ?? null;
  const stts = child(b, stbl, "stts");
  if (stts && timescale) track.frameRateMilli = frameRateFrom(b, stts, timescale);
  return track;
}

/** Average frames per second × 1000 from the time-to-sample table: samples × timescale / total duration. */
function frameRateFrom(b: Uint8Array, stts: Box, timescale: number): number | null {
  const entries = u32be(b, stts.start + 4) ?? 0;
  let samples = 0;
  let ticks = 0;
  for (let i = 0; i < entries; i++) {
    const count = u32be(b, stts.start + 8 + i * 8);
    const delta = u32be(b, stts.start + 12 + i * 8);
    if (count === null || delta === null) return null;
    samples += count;
    ticks += count * delta;
  }
  return samples > 0 && ticks > 0 ? Math.round((samples * timescale * 1000) / ticks) : null;
}

/** Parses a `moov` box's bytes (header included): duration, then the first video and audio track. */
export function parseMoov(b: Uint8Array): Omit<VideoInfo, "mimeType"> {
  const moov = boxAt(b, 0, b.length);
  const info: Omit<VideoInfo, "mimeType"> = { width: null, height: null, durationMs: null, videoCodec: null, audioCodec: null, frameRateMilli: null };
  if (!moov || moov.type !== "moov") return info;
  const mvhd = child(b, moov, "mvhd");
  if (mvhd) {
    const v1 = b[mvhd.start] === 1;
    const timescale = u32be(b, mvhd.start + (v1 ? 20 : 12));
    const duration = v1 ? u64be(b, mvhd.start + 24) : u32be(b, mvhd.start + 16);
    if (timescale && duration !== null) info.durationMs = Math.round((duration * 1000) / timescale);
  }
  for (const trak of children(b, moov).filter((x) => x.type === "trak")) {
    const track = parseTrack(b, trak);
    if (track.handler === "vide" && info.videoCodec === null) {
      Object.assign(info, { width: track.width, height: track.height, videoCodec: track.codec, frameRateMilli: track.frameRateMilli });
    }
    if (track.handler === "soun" && info.audioCodec === null) info.audioCodec = track.codec;
  }
  return info;
}

/**
 * Inspects an MP4/MOV file by ranged reads: the `ftyp` at the start, then the `moov` box wherever it is
 * (encoders that write it last are common). A file without a video track is not accepted as video.
 */
export async function inspectIsoBmff(source: ByteSource, head: Uint8Array): Promise<VideoInfo | null> {
  const mimeType = sniffIsoBmff(head);
  if (!mimeType) return null;
  const moov = await findMoov(source);
  if (!moov || moov.size > MAX_MOOV_BYTES) return null;
  const info = parseMoov(await source.read(moov.offset, moov.size));
  if (info.videoCodec === null && info.width === null) return null;
  return { mimeType, ...info };
}

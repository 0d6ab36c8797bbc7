/** Genuine file headers built byte by byte, so inspection is tested against the formats' real layouts. */

const ascii = (text: string) => Array.from(text, (ch) => ch.charCodeAt(0));
const u16be = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const u16le = (n: number) => [n & 0xff, (n >> 8) & 0xff];
const u24le = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff];
const u32be = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const u32le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const zeros = (n: number) => new Array<number>(n).fill(0);

export function concatBytes(...parts: (Uint8Array | number[])[]): Uint8Array {
  const total = parts.reduce((sum, p) => sum + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) out.set(part, at), (at += part.length);
  return out;
}

export function png(width: number, height: number): Uint8Array {
  return Uint8Array.from([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
    ...u32be(13), ...ascii("IHDR"), ...u32be(width), ...u32be(height), 8, 6, 0, 0, 0, ...zeros(4),
    ...u32be(0), ...ascii("IEND"), 0xae, 0x42, 0x60, 0x82,
  ]);
}

/** A JPEG with an APP0 segment, an APP1 (EXIF-like) segment of `exifBytes`, a DQT, then SOF`n` and SOS. */
export function jpeg(width: number, height: number, options: { sof?: number; exifBytes?: number; fill?: boolean } = {}): Uint8Array {
  const exif = options.exifBytes ?? 0;
  return Uint8Array.from([
    0xff, 0xd8,
    0xff, 0xe0, ...u16be(16), ...ascii("JFIF"), 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    ...(exif > 0 ? [0xff, 0xe1, ...u16be(exif + 2), ...zeros(exif)] : []),
    0xff, 0xdb, ...u16be(67), 0, ...zeros(64),
    ...(options.fill ? [0xff, 0xff] : []),
    0xff, options.sof ?? 0xc0, ...u16be(17), 8, ...u16be(height), ...u16be(width), 3, ...zeros(9),
    0xff, 0xda, ...u16be(12), 3, ...zeros(9),
    0x12, 0x34, 0xff, 0xd9,
  ]);
}

export function gif(width: number, height: number): Uint8Array {
  return Uint8Array.from([...ascii("GIF89a"), ...u16le(width), ...u16le(height), 0, 0, 0, 0x3b]);
}

function riff(chunk: string, data: number[]): Uint8Array {
  const body = [...ascii("WEBP"), ...ascii(chunk), ...u32le(data.length), ...data];
  return Uint8Array.from([...ascii("RIFF"), ...u32le(body.length), ...body]);
}

export function webpLossy(width: number, height: number): Uint8Array {
  return riff("VP8 ", [0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, ...u16le(width), ...u16le(height), ...zeros(8)]);
}

export function webpLossless(width: number, height: number): Uint8Array {
  const w = width - 1;
  const h = height - 1;
  const bits = w | (h << 14);
  return riff("VP8L", [0x2f, bits & 0xff, (bits >>> 8) & 0xff, (bits >>> 16) & 0xff, (bits >>> 24) & 0x0f, ...zeros(6)]);
}

export function webpExtended(width: number, height: number): Uint8Array {
  return riff("VP8X", [0x10, 0, 0, 0, ...u24le(width - 1), ...u24le(height - 1)]);
}

// ISO-BMFF boxes.
export function box(type: string, ...payload: (Uint8Array | number[])[]): Uint8Array {
  const body = concatBytes(...payload);
  return concatBytes(u32be(body.length + 8), ascii(type), body);
}
const fullBox = (type: string, version: number, ...payload: (Uint8Array | number[])[]) => box(type, [version, 0, 0, 0], ...payload);
const matrix = [...u32be(0x10000), ...zeros(12), ...u32be(0x10000), ...zeros(12), ...u32be(0x40000000)];

export type TrackSpec = { handler: "vide" | "soun"; codec: string; width?: number; height?: number; timescale: number; samples?: { count: number; delta: number }[]; version1?: boolean };

function trak(id: number, spec: TrackSpec): Uint8Array {
  const v1 = spec.version1 ?? false;
  const times = v1 ? [...zeros(8), ...zeros(8), ...u32be(id), ...zeros(4), ...zeros(8)] : [...zeros(4), ...zeros(4), ...u32be(id), ...zeros(4), ...zeros(4)];
  const tkhd = fullBox("tkhd", v1 ? 1 : 0, times, zeros(8), zeros(2), zeros(2), zeros(2), zeros(2), matrix, u32be((spec.width ?? 0) * 65536), u32be((spec.height ?? 0) * 65536));
  const mdhd = v1 ? fullBox("mdhd", 1, zeros(16), u32be(spec.timescale), zeros(8), zeros(4)) : fullBox("mdhd", 0, zeros(8), u32be(spec.timescale), zeros(4), zeros(4));
  const hdlr = fullBox("hdlr", 0, zeros(4), ascii(spec.handler), zeros(12), [0]);
  const stsd = fullBox("stsd", 0, u32be(1), box(spec.codec, zeros(8), zeros(16)));
  const samples = spec.samples ?? [];
  const stts = fullBox("stts", 0, u32be(samples.length), ...samples.map((s) => [...u32be(s.count), ...u32be(s.delta)]));
  return box("trak", tkhd, box("mdia", mdhd, hdlr, box("minf", box("stbl", stsd, stts))));
}

export function moov(durationMs: number, tracks: TrackSpec[], options: { mvhdVersion1?: boolean } = {}): Uint8Array {
  const mvhd = options.mvhdVersion1
    ? fullBox("mvhd", 1, zeros(16), u32be(1000), zeros(4), u32be(durationMs), u32be(0x10000), u16be(0x100), zeros(10), matrix, zeros(24), u32be(tracks.length + 1))
    : fullBox("mvhd", 0, zeros(8), u32be(1000), u32be(durationMs), u32be(0x10000), u16be(0x100), zeros(10), matrix, zeros(24), u32be(tracks.length + 1));
  return box("moov", mvhd, ...tracks.map((t, i) => trak(i + 1, t)));
}

export const H264_1080P: TrackSpec = { handler: "vide", codec: "avc1", width: 1920, height: 1080, timescale: 30000, samples: [{ count: 300, delta: 1001 }] };
export const AAC: TrackSpec = { handler: "soun", codec: "mp4a", timescale: 48000, samples: [{ count: 470, delta: 1024 }] };

/**
 * An MP4 of exactly `totalBytes`: ftyp, a big mdat of patterned bytes (so ranges are checkable), and
 * the moov at the END (as many encoders write it), unless `moovFirst`.
 */
export function mp4(totalBytes: number, options: { brand?: string; moovFirst?: boolean; tracks?: TrackSpec[]; durationMs?: number } = {}): Uint8Array {
  const ftyp = box("ftyp", ascii(options.brand ?? "isom"), u32be(0x200), ascii("isomiso2avc1mp41"));
  const movie = moov(options.durationMs ?? 10_010, options.tracks ?? [H264_1080P, AAC]);
  const mdatPayload = totalBytes - ftyp.length - movie.length - 8;
  if (mdatPayload < 0) throw new Error("mp4 too small");
  const out = new Uint8Array(totalBytes);
  out.set(ftyp, 0);
  let at = ftyp.length;
  if (options.moovFirst) out.set(movie, at), (at += movie.length);
  out.set([...u32be(mdatPayload + 8), ...ascii("mdat")], at);
  for (let i = at + 8; i < at + 8 + mdatPayload; i++) out[i] = i % 251;
  at += 8 + mdatPayload;
  if (!options.moovFirst) out.set(movie, at);
  return out;
}

/**
 * Real-enough files for the media library's browser test, built in memory: the server decides what a
 * file is from its bytes (PNG header, MP4 boxes), so these carry exactly the structures it reads.
 */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const x of bytes) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const u32 = (n: number) => new Uint8Array([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
const u16 = (n: number) => new Uint8Array([(n >>> 8) & 0xff, n & 0xff]);
const ascii = (s: string) => new Uint8Array([...s].map((c) => c.charCodeAt(0)));
const zeros = (n: number) => new Uint8Array(n);

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const typed = concat([ascii(type), data]);
  return concat([u32(data.length), typed, u32(crc32(typed))]);
}

/** A decodable RGB PNG of the given size (a diagonal gradient), its pixels zlib-"stored" without compression. */
export function png(width: number, height: number): Uint8Array {
  const rows: Uint8Array[] = [];
  for (let y = 0; y < height; y++) {
    const row = new Uint8Array(1 + width * 3);
    for (let x = 0; x < width; x++) row.set([(x * 255) / Math.max(1, width - 1), (y * 255) / Math.max(1, height - 1), 160], 1 + x * 3);
    rows.push(row);
  }
  const raw = concat(rows);
  const blocks: Uint8Array[] = [];
  for (let at = 0; at < raw.length || at === 0; at += 65535) {
    const part = raw.subarray(at, at + 65535);
    const last = at + 65535 >= raw.length;
    blocks.push(new Uint8Array([last ? 1 : 0, part.length & 0xff, part.length >>> 8, ~part.length & 0xff, (~part.length >>> 8) & 0xff]), part);
  }
  const zlib = concat([new Uint8Array([0x78, 0x01]), ...blocks, u32(adler32(raw))]);
  const ihdr = concat([u32(width), u32(height), new Uint8Array([8, 2, 0, 0, 0])]);
  return concat([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk("IHDR", ihdr), pngChunk("IDAT", zlib), pngChunk("IEND", zeros(0))]);
}

function box(type: string, ...payload: Uint8Array[]): Uint8Array {
  const body = concat(payload);
  return concat([u32(8 + body.length), ascii(type), body]);
}
const fullBox = (type: string, ...payload: Uint8Array[]) => box(type, zeros(4), ...payload);

const IDENTITY = concat([u32(0x10000), u32(0), u32(0), u32(0), u32(0x10000), u32(0), u32(0), u32(0), u32(0x40000000)]);

/**
 * An MP4 of exactly `sizeBytes`: `ftyp`, a large `mdat` of filler, then a `moov` (written last, as many
 * encoders do) with the movie header and one H.264 video track of the given size and duration.
 * Not playable: only the boxes an inspector reads are real.
 */
export function mp4(sizeBytes: number, width: number, height: number, durationMs: number): Uint8Array {
  const ftyp = box("ftyp", ascii("isom"), u32(0x200), ascii("isomiso2avc1mp41"));
  const mvhd = fullBox("mvhd", u32(0), u32(0), u32(1000), u32(durationMs), u32(0x10000), u16(0x100), zeros(10), IDENTITY, zeros(24), u32(2));
  const tkhd = box("tkhd", new Uint8Array([0, 0, 0, 3]), u32(0), u32(0), u32(1), u32(0), u32(durationMs), zeros(8), u16(0), u16(0), u16(0), u16(0), IDENTITY, u32(width << 16), u32(height << 16));
  const mdhd = fullBox("mdhd", u32(0), u32(0), u32(30000), u32(durationMs * 30), u16(0x55c4), u16(0));
  const hdlr = fullBox("hdlr", u32(0), ascii("vide"), zeros(12), ascii("VideoHandler\0"));
  const avc1 = box("avc1", zeros(6), u16(1), zeros(16), u16(width), u16(height), u32(0x480000), u32(0x480000), u32(0), u16(1), zeros(32), u16(0x18), u16(0xffff));
  const stsd = fullBox("stsd", u32(1), avc1);
  const frames = Math.round((durationMs / 1000) * 30);
  const stts = fullBox("stts", u32(1), u32(frames), u32(1000));
  const stbl = box("stbl", stsd, stts);
  const minf = box("minf", fullBox("vmhd", zeros(8)), stbl);
  const moov = box("moov", mvhd, box("trak", tkhd, box("mdia", mdhd, hdlr, minf)));
  const mdatSize = sizeBytes - ftyp.length - moov.length;
  const mdat = new Uint8Array(mdatSize);
  mdat.set(u32(mdatSize), 0);
  mdat.set(ascii("mdat"), 4);
  // Non-zero filler, so nothing along the way can shortcut a run of zeros.
  for (let i = 8; i < mdatSize; i += 4096) mdat[i] = i & 0xff;
  return concat([ftyp, mdat, moov]);
}

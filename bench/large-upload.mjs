// `node bench/large-upload.mjs [bytes]`: uploads one large synthetic MP4 (default 2 GiB) through the
// Worker by R2 multipart (3 parts in flight) on a fresh local stack, and prints throughput and the peak
// resident memory of the workerd processes while it ran. Loopback only; not part of `npm test`.
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startStack } from "../scripts/local-stack.mjs";

const SIZE = Number(process.argv[2] ?? 2 * 1024 ** 3);
const PORT = 18990;
const HOST = `http://127.0.0.1:${PORT}`;

const u32 = (n) => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, n); return b; };
const ascii = (s) => new TextEncoder().encode(s);
const concat = (parts) => { const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let o = 0; for (const p of parts) { out.set(p, o); o += p.length; } return out; };
const box = (type, ...body) => { const inner = concat(body); return concat([u32(8 + inner.length), ascii(type), inner]); };
const fullBox = (type, ...body) => box(type, new Uint8Array(4), ...body);
const zeros = (n) => new Uint8Array(n);
const u16 = (n) => { const b = new Uint8Array(2); new DataView(b.buffer).setUint16(0, n); return b; };
const IDENTITY = concat([u32(0x10000), u32(0), u32(0), u32(0), u32(0x10000), u32(0), u32(0), u32(0), u32(0x40000000)]);

// A 1080p, 10-minute H.264 track description; the mdat in between is filler (only boxes are inspected).
const W = 1920, H = 1080, DURATION = 600_000;
const ftyp = box("ftyp", ascii("isom"), u32(0x200), ascii("isomiso2avc1mp41"));
const mvhd = fullBox("mvhd", u32(0), u32(0), u32(1000), u32(DURATION), u32(0x10000), u16(0x100), zeros(10), IDENTITY, zeros(24), u32(2));
const tkhd = box("tkhd", new Uint8Array([0, 0, 0, 3]), u32(0), u32(0), u32(1), u32(0), u32(DURATION), zeros(8), u16(0), u16(0), u16(0), u16(0), IDENTITY, u32(W << 16), u32(H << 16));
const mdhd = fullBox("mdhd", u32(0), u32(0), u32(30000), u32(DURATION * 30), u16(0x55c4), u16(0));
const hdlr = fullBox("hdlr", u32(0), ascii("vide"), zeros(12), ascii("VideoHandler\0"));
const avc1 = box("avc1", zeros(6), u16(1), zeros(16), u16(W), u16(H), u32(0x480000), u32(0x480000), u32(0), u16(1), zeros(32), u16(0x18), u16(0xffff));
const moov = box("moov", mvhd, box("trak", tkhd, box("mdia", mdhd, hdlr, box("minf", fullBox("vmhd", zeros(8)), box("stbl", fullBox("stsd", u32(1), avc1), fullBox("stts", u32(1), u32(DURATION * 30 / 1000), u32(1000)))))));
const mdatSize = SIZE - ftyp.length - moov.length;
const head = concat([ftyp, u32(mdatSize), ascii("mdat")]);

/** Bytes [offset, offset+length) of the virtual file, built on the fly (never the whole file in memory). */
function slice(offset, length) {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += 4096) out[i] = (offset + i) & 0xff;
  const moovStart = SIZE - moov.length;
  for (let i = Math.max(0, offset); i < Math.min(head.length, offset + length); i++) out[i - offset] = head[i];
  for (let i = Math.max(moovStart, offset); i < offset + length; i++) out[i - offset] = moov[i - moovStart];
  return out;
}

function workerdRssMb() {
  try {
    const lines = execFileSync("ps", ["-C", "workerd", "-o", "rss="], { encoding: "utf8" }).trim().split("\n");
    return lines.map((l) => Number(l.trim()) / 1024).filter(Number.isFinite);
  } catch {
    return [];
  }
}

const persistTo = await mkdtemp(join(tmpdir(), "atelier-large-"));
const stack = await startStack({ port: PORT, sandboxPort: PORT + 1, persistTo, quiet: true });
let peak = 0;
const baseline = Math.max(...workerdRssMb());
const sampler = setInterval(() => (peak = Math.max(peak, ...workerdRssMb())), 250);
try {
  const json = async (path, init) => {
    const r = await fetch(`${HOST}${path}`, { ...init, headers: { origin: HOST, "content-type": "application/json", ...(init?.headers ?? {}) } });
    if (!r.ok) throw new Error(`${init?.method ?? "GET"} ${path}: ${r.status} ${await r.text()}`);
    return r;
  };
  const signup = await json("/api/auth/signup", { method: "POST", body: JSON.stringify({ email: `big-${Date.now()}@bench.test`, name: "Big", password: "bench-password-123" }) });
  const cookie = signup.headers.getSetCookie()[0].split(";")[0];
  const workspace = await (await json("/api/workspaces", { method: "POST", headers: { cookie }, body: JSON.stringify({ name: "Big", timezone: "UTC" }) })).json();
  const upload = await (await json(`/api/workspaces/${workspace.id}/media/uploads`, { method: "POST", headers: { cookie }, body: JSON.stringify({ name: "big.mp4", sizeBytes: SIZE }) })).json();
  const { partSizeBytes, partCount } = upload;
  const t0 = performance.now();
  let next = 1;
  await Promise.all(
    [0, 1, 2].map(async () => {
      while (next <= partCount) {
        const n = next++;
        const offset = (n - 1) * partSizeBytes;
        const body = slice(offset, Math.min(partSizeBytes, SIZE - offset));
        const r = await fetch(`${HOST}/api/workspaces/${workspace.id}/media/uploads/${upload.media.id}/parts/${n}`, { method: "PUT", headers: { cookie, origin: HOST, "content-type": "application/octet-stream" }, body });
        if (!r.ok) throw new Error(`part ${n}: ${r.status} ${await r.text()}`);
      }
    }),
  );
  const done = await (await json(`/api/workspaces/${workspace.id}/media/uploads/${upload.media.id}/complete`, { method: "POST", headers: { cookie }, body: "{}" })).json();
  const seconds = (performance.now() - t0) / 1000;
  console.log(`Uploaded ${(SIZE / 1024 ** 3).toFixed(2)} GiB in ${partCount} parts of ${partSizeBytes / 1024 ** 2} MiB (3 in flight) in ${seconds.toFixed(1)} s = ${(SIZE / 1024 ** 2 / seconds).toFixed(0)} MiB/s`);
  console.log(`Inspected: ${done.kind} ${done.mimeType} ${done.width}×${done.height}, ${done.durationMs} ms, codec ${done.videoCodec}, status ${done.status}`);
  console.log(`workerd resident memory: ${baseline.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB during (largest workerd process; includes local R2/D1 simulation)`);
} finally {
  clearInterval(sampler);
  await stack.stop();
  await rm(persistTo, { recursive: true, force: true });
}

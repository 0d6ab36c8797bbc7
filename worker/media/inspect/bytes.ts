/** Big- and little-endian readers over a byte array; out-of-range reads return null instead of throwing. */
export function u8(b: Uint8Array, at: number): number | null {
  return at >= 0 && at < b.length ? (b[at] ?? null) : null;
}

export function u16be(b: Uint8Array, at: number): number | null {
  if (at < 0 || at + 2 > b.length) return null;
  return ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
}

export function u16le(b: Uint8Array, at: number): number | null {
  if (at < 0 || at + 2 > b.length) return null;
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
}

export function u24le(b: Uint8Array, at: number): number | null {
  if (at < 0 || at + 3 > b.length) return null;
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16);
}

export function u32be(b: Uint8Array, at: number): number | null {
  if (at < 0 || at + 4 > b.length) return null;
  return (((b[at] ?? 0) << 24) >>> 0) + (((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0));
}

export function u32le(b: Uint8Array, at: number): number | null {
  if (at < 0 || at + 4 > b.length) return null;
  return (b[at] ?? 0) + (b[at + 1] ?? 0) * 0x100 + (b[at + 2] ?? 0) * 0x10000 + (b[at + 3] ?? 0) * 0x1000000;
}

/** A 64-bit big-endian unsigned integer as a number (exact up to 2^53, plenty for byte offsets and durations). */
export function u64be(b: Uint8Array, at: number): number | null {
  const high = u32be(b, at);
  const low = u32be(b, at + 4);
  return high === null || low === null ? null : high * 0x1_0000_0000 + low;
}

/** Four ASCII characters (a box type, a codec fourcc), or null past the end. */
export function fourcc(b: Uint8Array, at: number): string | null {
  if (at < 0 || at + 4 > b.length) return null;
  return String.fromCharCode(b[at] ?? 0, b[at + 1] ?? 0, b[at + 2] ?? 0, b[at + 3] ?? 0);
}

export function startsWith(b: Uint8Array, signature: readonly number[], offset = 0): boolean {
  return signature.every((byte, i) => b[offset + i] === byte);
}

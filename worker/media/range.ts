export type ByteRange = { offset: number; length: number };
/** `full`: no (usable) Range header; `partial`: one satisfiable range; `unsatisfiable`: answer 416. */
export type RangeRequest = { kind: "full" } | { kind: "partial"; range: ByteRange } | { kind: "unsatisfiable" };

/**
 * A single `bytes=` range (`a-b`, `a-`, `-suffix`) against a file of `size` bytes. Other units are
 * ignored (full response); several ranges are answered with the whole file, which RFC 9110 allows.
 * A malformed or unsatisfiable byte range answers 416 so a broken client notices.
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (!header) return { kind: "full" };
  const match = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!match) return { kind: "full" };
  const spec = (match[1] ?? "").trim();
  if (spec.includes(",")) return { kind: "full" };
  const parts = /^(\d*)\s*-\s*(\d*)$/.exec(spec);
  if (!parts) return { kind: "unsatisfiable" };
  const [, first = "", last = ""] = parts;
  if (first === "" && last === "") return { kind: "unsatisfiable" };
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: "unsatisfiable" };
    const length = Math.min(suffix, size);
    return { kind: "partial", range: { offset: size - length, length } };
  }
  const start = Number(first);
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || end < start) return { kind: "unsatisfiable" };
  return { kind: "partial", range: { offset: start, length: end - start + 1 } };
}

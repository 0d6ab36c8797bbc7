import { problemResponse, toProblem } from "../http/problems";
import { parseRange } from "./range";

/** RFC 5987 `filename*` value: percent-encoded UTF-8, with the few characters encodeURIComponent leaves. */
function contentDisposition(name: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `inline; filename*=UTF-8''${encoded}`;
}

export type Servable = { key: string; name: string; mimeType: string | null; sizeBytes: number };

/**
 * Serves a stored file with single-range support (players seek, platforms resume pulls). Never
 * sniffed by the browser into another type; shown inline under its (encoded) name.
 */
export async function serveObject(bucket: R2Bucket, file: Servable, rangeHeader: string | undefined, cacheControl: string, requestId?: string): Promise<Response | null> {
  const headers = new Headers({
    "Content-Type": file.mimeType ?? "application/octet-stream",
    "Accept-Ranges": "bytes",
    "X-Content-Type-Options": "nosniff",
    "Content-Disposition": contentDisposition(file.name),
    "Cache-Control": cacheControl,
  });
  const range = parseRange(rangeHeader, file.sizeBytes);
  if (range.kind === "unsatisfiable") {
    const problem = toProblem("range-not-satisfiable", `The requested range is not within this file of ${file.sizeBytes} bytes.`, requestId ? { requestId } : {});
    return problemResponse(problem, { "Content-Range": `bytes */${file.sizeBytes}`, "Accept-Ranges": "bytes" });
  }
  const object = await bucket.get(file.key, range.kind === "partial" ? { range: range.range } : {});
  if (!object) return null;
  headers.set("ETag", object.httpEtag);
  if (range.kind === "partial") {
    const { offset, length } = range.range;
    headers.set("Content-Range", `bytes ${offset}-${offset + length - 1}/${file.sizeBytes}`);
    headers.set("Content-Length", String(length));
    return new Response(object.body, { status: 206, headers });
  }
  headers.set("Content-Length", String(object.size));
  return new Response(object.body, { status: 200, headers });
}


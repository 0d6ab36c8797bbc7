/**
 * How a platform fetches a media URL it was given (Instagram `image_url`/`video_url`, Facebook `url`/
 * `file_url`): a plain GET, following redirects, reading the whole body to know its size and first
 * bytes. A failure is returned as data so each platform can answer with its own error envelope.
 * In tests the sandbox's outbound requests are routed to the app worker; under `npm start` they go to
 * the app over loopback.
 */
export type FetchedMedia = { ok: true; contentType: string; sizeBytes: number; head: Uint8Array } | { ok: false; status: number | null; reason: string };

export async function fetchMedia(url: string, timeoutMs = 20_000): Promise<FetchedMedia> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, status: null, reason: "not a URL" };
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return { ok: false, status: null, reason: "unsupported scheme" };
  let response: Response;
  try {
    response = await fetch(parsed, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    return { ok: false, status: null, reason: error instanceof Error ? error.message : String(error) };
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    return { ok: false, status: response.status, reason: `HTTP ${response.status}` };
  }
  const reader = response.body.getReader();
  const head = new Uint8Array(64);
  let headLength = 0;
  let sizeBytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (headLength < head.length) {
      const take = value.subarray(0, head.length - headLength);
      head.set(take, headLength);
      headLength += take.length;
    }
    sizeBytes += value.byteLength;
  }
  return { ok: true, contentType: response.headers.get("content-type") ?? "application/octet-stream", sizeBytes, head: head.subarray(0, headLength) };
}

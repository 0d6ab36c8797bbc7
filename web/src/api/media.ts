import type { z } from "zod";
import type { Media, MediaUsage as MediaUsageSchema, PublicUrl as PublicUrlSchema, Upload } from "../../../worker/contracts/media.ts";
import { api, onUnauthorizedCall } from "./http.ts";
import { ApiError, asProblem, toApiError } from "./problem.ts";

export type MediaUsage = z.infer<typeof MediaUsageSchema>;
export type PublicUrl = z.infer<typeof PublicUrlSchema>;
export type MediaKind = NonNullable<Media["kind"]>;
export type UploadedPart = Upload["partsDone"][number];

export interface MediaFilter {
  q?: string | undefined;
  kind?: MediaKind | undefined;
  tag?: string | undefined;
}

export interface MediaPatch {
  name?: string;
  altText?: string | null;
  tags?: string[];
}

const ws = (id: string) => `/api/workspaces/${encodeURIComponent(id)}`;
const library = (id: string) => `${ws(id)}/media`;
const item = (id: string, mediaId: string) => `${library(id)}/${encodeURIComponent(mediaId)}`;
const upload = (id: string, mediaId: string) => `${library(id)}/uploads/${encodeURIComponent(mediaId)}`;

/** Files up to this size go in one request; larger ones use the resumable multipart flow. */
export const SINGLE_REQUEST_MAX_BYTES = 8 * 1024 * 1024;

export const mediaApi = {
  list: (id: string, filter: MediaFilter, cursor?: string, limit = 40) =>
    api.get<{ media: Media[]; nextCursor: string | null }>(library(id), { query: { ...filter, cursor, limit } }),
  get: (id: string, mediaId: string) => api.get<Media>(item(id, mediaId)),
  update: (id: string, mediaId: string, patch: MediaPatch) => api.patch<Media>(item(id, mediaId), patch),
  /** Without `confirm`, a file still used by scheduled posts answers 409 with `usage` (see `usageOf`). */
  remove: (id: string, mediaId: string, confirm = false) =>
    api.delete<void>(item(id, mediaId), { query: { confirm: confirm ? "true" : undefined } }),
  publicUrl: (id: string, mediaId: string, ttlSeconds = 3600) => api.post<PublicUrl>(`${item(id, mediaId)}/public-url`, { ttlSeconds }),
  putPoster: (id: string, mediaId: string, jpeg: Blob) => api.put<Media>(`${item(id, mediaId)}/poster`, jpeg),

  createUpload: (id: string, file: File) =>
    api.post<Upload>(`${library(id)}/uploads`, { name: file.name, sizeBytes: file.size, declaredType: file.type || undefined }),
  getUpload: (id: string, mediaId: string) => api.get<Upload>(upload(id, mediaId)),
  completeUpload: (id: string, mediaId: string) => api.post<Media>(`${upload(id, mediaId)}/complete`),
  abortUpload: (id: string, mediaId: string) => api.delete<void>(upload(id, mediaId)),

  /** One-request upload: the raw bytes, the name URI-encoded in a header (names may hold any character). */
  uploadSmall: (id: string, file: File, onProgress: (loaded: number) => void, signal: AbortSignal) =>
    sendWithProgress<Media>("POST", library(id), file, { "X-File-Name": encodeURIComponent(file.name) }, onProgress, signal),
  uploadPart: (id: string, mediaId: string, partNumber: number, bytes: Blob, onProgress: (loaded: number) => void, signal: AbortSignal) =>
    sendWithProgress<UploadedPart>("PUT", `${upload(id, mediaId)}/parts/${partNumber}`, bytes, {}, onProgress, signal),
};

/** The posts named in a 409 answer to a delete, or null when the error is something else. */
export function usageOf(error: unknown): MediaUsage | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const body = error.body as { usage?: unknown; posts?: unknown } | undefined;
  const usage = (body?.usage ?? body) as { posts?: unknown } | undefined;
  return Array.isArray(usage?.posts) ? (usage as MediaUsage) : null;
}

/**
 * fetch() cannot report upload progress, so bodies whose progress is shown go through XHR. Settles like
 * `request()`: the parsed JSON, an ApiError with the problem body, or an AbortError when `signal` fires.
 */
function sendWithProgress<T>(
  method: "POST" | "PUT",
  path: string,
  body: Blob,
  headers: Record<string, string>,
  onProgress: (loaded: number) => void,
  signal: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(new DOMException("Aborted", "AbortError"));
    const xhr = new XMLHttpRequest();
    xhr.open(method, path);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("Content-Type", body.type || "application/octet-stream");
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    const onAbort = () => xhr.abort();
    signal.addEventListener("abort", onAbort, { once: true });
    const done = () => signal.removeEventListener("abort", onAbort);
    xhr.onabort = () => {
      done();
      reject(new DOMException("Aborted", "AbortError"));
    };
    xhr.onerror = () => {
      done();
      reject(toApiError(new Error("network")));
    };
    xhr.onload = () => {
      done();
      let json: unknown;
      try {
        json = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        json = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(json as T);
      if (xhr.status === 401) onUnauthorizedCall();
      reject(new ApiError(asProblem(json, xhr.status), json));
    };
    xhr.send(body);
  });
}

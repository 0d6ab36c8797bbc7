import { Hono } from "hono";
import type { SandboxEnv } from "../app";
import type { SandboxObject, SandboxStore } from "../store/store";
import { bearer, jsonBody, mayRead, mayWrite, newAssetId, accessDenied, restError, unprocessable, urnParam, requireProtocol2, type Ctx } from "./linkedin-rest";
import { hex, processingMs, sniff, unhex } from "./meta-publish-common";

/**
 * LinkedIn's Images and Videos APIs (linkedin.md §5–§6): `initializeUpload` hands out upload URLs on
 * `www.linkedin.com/dms-uploads/…` (served by `uploadRoutes` below), videos in 4 MiB parts whose ETags
 * `finalizeUpload` must receive in order, and a status machine WAITING_UPLOAD → PROCESSING → AVAILABLE |
 * PROCESSING_FAILED computed lazily from sandbox time (scaled by `processingScale`).
 */

/** Part size of video uploads ("~4 MiB in practice", unverified constant). */
export const VIDEO_PART_BYTES = 4 * 1024 * 1024;
/** §6.4: ≤ 500 MB (some accounts more: unverified, not simulated). */
const VIDEO_MAX_BYTES = 500 * 1024 * 1024;
/** How long upload URLs stay valid (unverified: the doc shows only that they expire). */
const UPLOAD_URL_TTL_MS = 24 * 60 * 60 * 1000;
const UPLOAD_HOST = "https://www.linkedin.com";

type Status = "WAITING_UPLOAD" | "PROCESSING" | "AVAILABLE" | "PROCESSING_FAILED";

export type LinkedInImage = { owner: string; secret: string; expiresAt: number; uploadedAt: number | null; sizeBytes: number; readyAt: number; failure: string | null };
export type LinkedInVideo = {
  owner: string;
  secret: string;
  expiresAt: number;
  fileSizeBytes: number;
  uploadToken: string;
  parts: { firstByte: number; lastByte: number; etag: string | null }[];
  /** The first bytes of part 0 (hex), sniffed when processing. */
  head: string;
  finalizedAt: number | null;
  readyAt: number;
  failure: string | null;
};

const imageUrn = (id: string) => `urn:li:image:${id}`;
const videoUrn = (id: string) => `urn:li:video:${id}`;
const randomHex = (bytes: number) => hex(crypto.getRandomValues(new Uint8Array(bytes)));

export function linkedInImage(store: SandboxStore, urn: string): SandboxObject<LinkedInImage> | null {
  const object = store.publishing.object<LinkedInImage>(urn);
  return object && object.platform === "linkedin" && object.kind === "image" ? object : null;
}

export function linkedInVideo(store: SandboxStore, urn: string): SandboxObject<LinkedInVideo> | null {
  const object = store.publishing.object<LinkedInVideo>(urn);
  return object && object.platform === "linkedin" && object.kind === "video" ? object : null;
}

export function imageStatus(store: SandboxStore, image: LinkedInImage): Status {
  if (image.uploadedAt === null) return "WAITING_UPLOAD";
  if (store.now() < image.readyAt) return "PROCESSING";
  return image.failure ? "PROCESSING_FAILED" : "AVAILABLE";
}

export function videoStatus(store: SandboxStore, video: LinkedInVideo): Status {
  if (video.finalizedAt === null) return "WAITING_UPLOAD";
  if (store.now() < video.readyAt) return "PROCESSING";
  return video.failure ? "PROCESSING_FAILED" : "AVAILABLE";
}

function owner(c: Ctx, body: Record<string, unknown> | null): { owner: string; request: Record<string, unknown> } | Response {
  const request = body?.initializeUploadRequest;
  if (!request || typeof request !== "object") return unprocessable(c, "/initializeUploadRequest", "field is required but not found and has no default value");
  const value = (request as Record<string, unknown>).owner;
  if (typeof value !== "string" || !/^urn:li:(person|organization):/.test(value)) return unprocessable(c, "/initializeUploadRequest/owner", "field is required and must be a person or organization URN");
  return { owner: value, request: request as Record<string, unknown> };
}

async function initializeImage(c: Ctx): Promise<Response> {
  const caller = bearer(c);
  if (caller instanceof Response) return caller;
  const asked = owner(c, await jsonBody(c));
  if (asked instanceof Response) return asked;
  if (!mayWrite(caller, asked.owner)) return accessDenied(c, "images.ACTION-initializeUpload");
  const store = c.var.store;
  const id = newAssetId("C4E10AQ");
  const data: LinkedInImage = { owner: asked.owner, secret: randomHex(12), expiresAt: store.now() + UPLOAD_URL_TTL_MS, uploadedAt: null, sizeBytes: 0, readyAt: 0, failure: null };
  store.publishing.createObject({ id: imageUrn(id), platform: "linkedin", accountId: asked.owner, kind: "image", data });
  const uploadUrl = `${UPLOAD_HOST}/dms-uploads/sp/v2/${id}/uploadedImage/0?ca=vector_feedshare&cn=uploads&sync=0&v=beta&ut=${data.secret}`;
  return c.json({ value: { uploadUrlExpiresAt: data.expiresAt, uploadUrl, image: imageUrn(id) } });
}

async function initializeVideo(c: Ctx): Promise<Response> {
  const caller = bearer(c);
  if (caller instanceof Response) return caller;
  const asked = owner(c, await jsonBody(c));
  if (asked instanceof Response) return asked;
  const size = asked.request.fileSizeBytes;
  if (typeof size !== "number" || !Number.isInteger(size) || size <= 0) return unprocessable(c, "/initializeUploadRequest/fileSizeBytes", "field is required and must be a positive integer");
  if (size > VIDEO_MAX_BYTES) return unprocessable(c, "/initializeUploadRequest/fileSizeBytes", `video size ${size} exceeds the maximum of ${VIDEO_MAX_BYTES} bytes`);
  if (!mayWrite(caller, asked.owner)) return accessDenied(c, "videos.ACTION-initializeUpload");
  const store = c.var.store;
  const id = newAssetId("C5F10AQ");
  const parts: LinkedInVideo["parts"] = [];
  for (let first = 0; first < size; first += VIDEO_PART_BYTES) parts.push({ firstByte: first, lastByte: Math.min(size, first + VIDEO_PART_BYTES) - 1, etag: null });
  // Single-part uploads get an empty token, as in the doc's example; multi-part a non-empty one (unverified).
  const data: LinkedInVideo = { owner: asked.owner, secret: randomHex(12), expiresAt: store.now() + UPLOAD_URL_TTL_MS, fileSizeBytes: size, uploadToken: parts.length > 1 ? randomHex(16) : "", parts, head: "", finalizedAt: null, readyAt: 0, failure: null };
  store.publishing.createObject({ id: videoUrn(id), platform: "linkedin", accountId: asked.owner, kind: "video", data });
  return c.json({
    value: {
      uploadUrlsExpireAt: data.expiresAt,
      video: videoUrn(id),
      uploadInstructions: parts.map((p, index) => ({ uploadUrl: `${UPLOAD_HOST}/dms-uploads/sp/v2/${id}/uploadedVideo/${index}?ca=vector_feedshare&cn=uploads_secure&sync=0&v=beta&ut=${data.secret}`, firstByte: p.firstByte, lastByte: p.lastByte })),
      uploadToken: data.uploadToken,
    },
  });
}

const unquote = (etag: unknown) => (typeof etag === "string" ? etag.replace(/^W\//, "").replace(/^"(.*)"$/, "$1") : null);

async function finalizeVideo(c: Ctx): Promise<Response> {
  const caller = bearer(c);
  if (caller instanceof Response) return caller;
  const body = await jsonBody(c);
  const request = body?.finalizeUploadRequest as Record<string, unknown> | undefined;
  if (!request || typeof request !== "object") return unprocessable(c, "/finalizeUploadRequest", "field is required but not found and has no default value");
  const store = c.var.store;
  const urn = typeof request.video === "string" ? request.video : "";
  const video = linkedInVideo(store, urn);
  if (!video) return restError(c, 404, "NOT_FOUND", `Video ${urn} not found`, 100);
  if (!mayWrite(caller, video.data.owner)) return accessDenied(c, "videos.ACTION-finalizeUpload");
  const data = video.data;
  // A second finalize is an error (linkedin.md §11, unverified wording).
  if (data.finalizedAt !== null) return restError(c, 400, "BAD_REQUEST", `Video ${urn} upload has already been finalized`, 100);
  if ((request.uploadToken ?? "") !== data.uploadToken) return restError(c, 400, "BAD_REQUEST", "Invalid uploadToken for this video", 100);
  const ids = Array.isArray(request.uploadedPartIds) ? request.uploadedPartIds.map(unquote) : [];
  const missing = data.parts.findIndex((p) => p.etag === null);
  if (missing >= 0) return restError(c, 400, "BAD_REQUEST", `Part ${missing} of video ${urn} has not been uploaded`, 100);
  // The ETags must be exactly the parts', in order (quotes around them are tolerated: which form LinkedIn wants is unverified).
  if (ids.length !== data.parts.length || data.parts.some((p, i) => p.etag !== ids[i])) {
    return restError(c, 400, "BAD_REQUEST", `uploadedPartIds do not match the uploaded parts of video ${urn} (expected ${data.parts.length} ETags in upload order)`, 100);
  }
  const format = sniff(unhex(data.head));
  const failure = format === "mp4" || format === "mov" ? null : "The video could not be processed: the file is not a supported video format";
  store.publishing.updateObject(urn, { ...data, finalizedAt: store.now(), readyAt: store.now() + processingMs(store, "video", data.fileSizeBytes), failure });
  return c.body(null, 200);
}

function readAccess(c: Ctx, ownerUrn: string, resource: string): Response | null {
  const caller = bearer(c);
  if (caller instanceof Response) return caller;
  // Member-owned images are write-only for apps (linkedin.md §5): the GET is refused.
  if (resource.startsWith("images") && ownerUrn.startsWith("urn:li:person:")) return accessDenied(c, `${resource}.GET`);
  return mayWrite(caller, ownerUrn) || mayRead(caller, ownerUrn) ? null : accessDenied(c, `${resource}.GET`);
}

export function assetRoutes(): Hono<SandboxEnv> {
  return new Hono<SandboxEnv>()
    .post("/rest/images", async (c) => {
      const refused = await requireProtocol2(c);
      if (refused) return refused;
      if (c.req.query("action") === "initializeUpload") return initializeImage(c);
      return restError(c, 400, "BAD_REQUEST", `Unsupported action ${c.req.query("action") ?? "(none)"} on images`, 100);
    })
    .post("/rest/videos", async (c) => {
      const refused = await requireProtocol2(c);
      if (refused) return refused;
      const action = c.req.query("action");
      if (action === "initializeUpload") return initializeVideo(c);
      if (action === "finalizeUpload") return finalizeVideo(c);
      return restError(c, 400, "BAD_REQUEST", `Unsupported action ${action ?? "(none)"} on videos`, 100);
    })
    .get("/rest/images/:urn", (c) => {
      const urn = urnParam(c.req.param("urn"));
      const image = linkedInImage(c.var.store, urn);
      if (!image) return bearerOr(c, () => restError(c, 404, "NOT_FOUND", `Image ${urn} not found`, 100));
      const refused = readAccess(c, image.data.owner, "images");
      if (refused) return refused;
      const status = imageStatus(c.var.store, image.data);
      const download = status === "AVAILABLE" ? { downloadUrl: `https://media.licdn.com/dms/image/${urn.split(":").at(-1)}/feedshare-shrink_2048_1536/0`, downloadUrlExpiresAt: c.var.store.now() + UPLOAD_URL_TTL_MS } : {};
      return c.json({ owner: image.data.owner, status, id: urn, ...download });
    })
    .get("/rest/videos/:urn", (c) => {
      const urn = urnParam(c.req.param("urn"));
      const video = linkedInVideo(c.var.store, urn);
      if (!video) return bearerOr(c, () => restError(c, 404, "NOT_FOUND", `Video ${urn} not found`, 100));
      const refused = readAccess(c, video.data.owner, "videos");
      if (refused) return refused;
      const status = videoStatus(c.var.store, video.data);
      return c.json({
        owner: video.data.owner,
        id: urn,
        status,
        duration: 0,
        aspectRatioWidth: 16.0,
        aspectRatioHeight: 9.0,
        ...(status === "PROCESSING_FAILED" ? { processingFailureReason: video.data.failure } : {}),
        ...(status === "AVAILABLE" ? { downloadUrl: `https://dms.licdn.com/playlist/vid/${urn.split(":").at(-1)}/mp4-720p-30fp-crf28/0` } : {}),
      });
    });
}

function bearerOr(c: Ctx, otherwise: () => Response): Response {
  const caller = bearer(c);
  return caller instanceof Response ? caller : otherwise();
}

/** The upload host's 4xx: plain text, as an upload endpoint (not Rest.li) answers (unverified body). */
const uploadRefused = (c: Ctx, status: 400 | 401 | 403 | 404, message: string) => c.text(message, status);

/** `PUT https://www.linkedin.com/dms-uploads/sp/v2/{asset}/uploadedImage/0` and `…/uploadedVideo/{part}`. */
export function uploadRoutes(): Hono<SandboxEnv> {
  return new Hono<SandboxEnv>()
    .put("/dms-uploads/sp/v2/:asset/uploadedImage/0", async (c) => {
      const store = c.var.store;
      const urn = imageUrn(c.req.param("asset"));
      const image = linkedInImage(store, urn);
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (!image || c.req.query("ut") !== image.data.secret) return uploadRefused(c, 404, "Upload URL not found");
      if (store.now() > image.data.expiresAt) return uploadRefused(c, 403, "Upload URL expired");
      // The doc's image PUT carries the member's bearer token.
      const caller = bearer(c);
      if (caller instanceof Response) return uploadRefused(c, 401, "Unauthorized");
      if (bytes.byteLength === 0) return uploadRefused(c, 400, "Empty upload");
      const format = sniff(bytes.subarray(0, 64));
      const failure = format === "jpeg" || format === "png" || format === "gif" ? null : "The image could not be processed: only JPG, PNG and GIF are supported";
      // One PUT per image: a second one replaces the first (linkedin.md §5).
      store.publishing.updateObject(urn, { ...image.data, uploadedAt: store.now(), sizeBytes: bytes.byteLength, readyAt: store.now() + processingMs(store, "image", bytes.byteLength), failure });
      return c.body(null, 201);
    })
    .put("/dms-uploads/sp/v2/:asset/uploadedVideo/:part{[0-9]+}", async (c) => {
      const store = c.var.store;
      const urn = videoUrn(c.req.param("asset"));
      const video = linkedInVideo(store, urn);
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (!video || c.req.query("ut") !== video.data.secret) return uploadRefused(c, 404, "Upload URL not found");
      if (store.now() > video.data.expiresAt) return uploadRefused(c, 403, "Upload URL expired");
      const index = Number(c.req.param("part"));
      const part = video.data.parts[index];
      if (!part) return uploadRefused(c, 404, "Upload URL not found");
      const expected = part.lastByte - part.firstByte + 1;
      if (bytes.byteLength !== expected) return uploadRefused(c, 400, `Part ${index} must be exactly ${expected} bytes (bytes ${part.firstByte}–${part.lastByte}); received ${bytes.byteLength}`);
      const etag = `/ami/www/${randomHex(20)}`;
      const parts = video.data.parts.map((p, i) => (i === index ? { ...p, etag } : p));
      const head = index === 0 ? hex(bytes.subarray(0, 64)) : video.data.head;
      store.publishing.updateObject(urn, { ...video.data, parts, head });
      return c.body(null, 200, { etag: `"${etag}"` });
    });
}

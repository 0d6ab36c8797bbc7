import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { problemOf } from "../helpers/client";
import { gif, jpeg, mp4, png, webpLossy } from "./fixtures";
import { auditActions, mediaRows, objectsUnder, PART, rawUpload, setup, type MediaJson, type UploadJson, uploadSmall } from "./media-client";

describe("POST /media (one-request upload)", () => {
  it("stores a PNG under ws/<id>/media/<mid>, inspected from its bytes, with the decoded name", async () => {
    const { client, owner, workspace, base } = await setup();
    const bytes = png(1080, 1350);
    const response = await client.call("POST", base, { cookie: owner.cookie, ...rawUpload(bytes, "Été 2026 – #1.png") });
    expect(response.status).toBe(201);
    const media = (await response.json()) as MediaJson;
    expect(media).toMatchObject({ status: "ready", kind: "image", mimeType: "image/png", name: "Été 2026 – #1.png", sizeBytes: bytes.length, width: 1080, height: 1350, tags: [], createdBy: { id: owner.id } });
    expect(media.url).toBe(`${base}/${media.id}/content`);
    expect(await objectsUnder(workspace.id)).toEqual([`ws/${workspace.id}/media/${media.id}`]);
    const stored = await env.MEDIA.get(`ws/${workspace.id}/media/${media.id}`);
    expect(new Uint8Array(await stored!.arrayBuffer())).toEqual(bytes);
    expect(await auditActions(workspace.id)).toEqual(["media.uploaded"]);
  });

  it("accepts a PNG sent as image/jpeg and named .jpg, but records the type its bytes say", async () => {
    const { client, owner, workspace } = await setup();
    const response = await client.call("POST", `/api/workspaces/${workspace.id}/media`, { cookie: owner.cookie, ...rawUpload(png(10, 20), "photo.jpg", "image/jpeg") });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ mimeType: "image/png", name: "photo.jpg", width: 10, height: 20 });
  });

  it.each([
    { label: "JPEG", bytes: jpeg(800, 600), mime: "image/jpeg" },
    { label: "GIF", bytes: gif(64, 48), mime: "image/gif" },
    { label: "WebP", bytes: webpLossy(1200, 628), mime: "image/webp" },
    { label: "MP4 (moov at the end)", bytes: mp4(300_000), mime: "video/mp4" },
    { label: "MOV", bytes: mp4(50_000, { brand: "qt  ", moovFirst: true }), mime: "video/quicktime" },
  ])("accepts a $label", async ({ bytes, mime }) => {
    const { client, owner, workspace } = await setup();
    const media = await uploadSmall(client, owner, workspace.id, bytes);
    expect(media.mimeType).toBe(mime);
    expect(media.width).not.toBeNull();
  });

  it("refuses a text file named .jpg with 415 and stores nothing", async () => {
    const { client, owner, workspace, base } = await setup();
    const response = await client.call("POST", base, { cookie: owner.cookie, ...rawUpload(new TextEncoder().encode("definitely not a photo\n".repeat(10)), "cat.jpg", "image/jpeg") });
    expect(response.status).toBe(415);
    expect(await problemOf(response)).toMatchObject({ type: "/problems/unsupported-media-type" });
    expect(await objectsUnder(workspace.id)).toEqual([]);
    expect(await mediaRows(workspace.id)).toEqual([]);
  });

  it("refuses an ftyp file without a video track after storing it, then removes it from R2 and D1", async () => {
    const { client, owner, workspace, base } = await setup();
    const audioOnly = mp4(20_000, { tracks: [{ handler: "soun", codec: "mp4a", timescale: 44100 }] });
    const response = await client.call("POST", base, { cookie: owner.cookie, ...rawUpload(audioOnly, "song.mp4") });
    expect(response.status).toBe(415);
    expect(await objectsUnder(workspace.id)).toEqual([]);
    expect(await mediaRows(workspace.id)).toEqual([]);
    expect(await auditActions(workspace.id)).toEqual(["media.upload_rejected"]);
  });

  it("requires Content-Length and refuses a body shorter than it announced", async () => {
    const { client, owner, workspace, base } = await setup();
    const bytes = png(5, 5);
    const missing = await client.call("POST", base, { cookie: owner.cookie, rawBody: bytes, headers: { "X-File-Name": "a.png" } });
    expect(missing.status).toBe(400);
    expect(await problemOf(missing)).toMatchObject({ errors: [{ path: "Content-Length" }] });
    const lying = await client.call("POST", base, { cookie: owner.cookie, rawBody: bytes, headers: { "Content-Length": String(bytes.length + 100), "X-File-Name": "a.png" } });
    expect(lying.status).toBe(400);
    expect(await objectsUnder(workspace.id)).toEqual([]);
    expect(await mediaRows(workspace.id)).toEqual([]);
  });

  it("refuses more than 100 MB in one request, and more than the workspace limit, before reading the body", async () => {
    const { client, owner, workspace, base } = await setup();
    const small = png(1, 1);
    const huge = await client.call("POST", base, { cookie: owner.cookie, rawBody: small, headers: { "Content-Length": String(100 * 1024 * 1024 + 1) } });
    expect(huge.status).toBe(413);
    expect((await problemOf(huge)).detail).toContain("100 MB");
    await env.DB.prepare("UPDATE workspaces SET media_max_file_bytes = 40 WHERE id = ?").bind(workspace.id).run();
    const overLimit = await client.call("POST", base, { cookie: owner.cookie, ...rawUpload(small, "a.png") });
    expect(overLimit.status).toBe(413);
    expect((await problemOf(overLimit)).detail).toBe("Files can be at most 40 bytes in this workspace.");
    expect(await objectsUnder(workspace.id)).toEqual([]);
  });
});

async function startUpload(client: Awaited<ReturnType<typeof setup>>["client"], cookie: string, base: string, name: string, sizeBytes: number) {
  const response = await client.call("POST", `${base}/uploads`, { cookie, body: { name, sizeBytes, declaredType: "video/mp4" } });
  expect(response.status).toBe(201);
  return (await response.json()) as UploadJson;
}

/** Large byte arrays are compared by digest: a deep-equality diff of megabytes would exhaust memory. */
const sha256 = async (bytes: Uint8Array) => Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)), (b) => b.toString(16).padStart(2, "0")).join("");

const partOf = (file: Uint8Array, n: number) => file.subarray((n - 1) * PART, Math.min(file.length, n * PART));

describe("multipart upload", () => {
  it("uploads a 3-part MP4 with the moov at the end, resumes after a break, replaces a re-sent part, and inspects it", async () => {
    const { client, owner, workspace, base } = await setup();
    const file = mp4(2 * PART + 123_457);
    const upload = await startUpload(client, owner.cookie, base, "launch film.mp4", file.length);
    expect(upload).toMatchObject({ partSizeBytes: PART, partCount: 3, partsDone: [], media: { status: "uploading", kind: null, name: "launch film.mp4", sizeBytes: file.length } });
    const mid = upload.media.id;

    // Part 3 first (any order), and part 1 twice: first with wrong bytes, then right ones (idempotent replace).
    const put = (n: number, bytes: Uint8Array) => client.call("PUT", `${base}/uploads/${mid}/parts/${n}`, { cookie: owner.cookie, ...rawUpload(bytes) });
    expect((await put(3, partOf(file, 3))).status).toBe(200);
    const garbage = new Uint8Array(PART).fill(7);
    expect(await (await put(1, garbage)).json()).toEqual({ partNumber: 1, sizeBytes: PART });

    // "Tab closed": the browser asks what is stored, then sends the rest.
    const resumed = (await (await client.call("GET", `${base}/uploads/${mid}`, { cookie: owner.cookie })).json()) as UploadJson;
    expect(resumed.partsDone).toEqual([{ partNumber: 1, sizeBytes: PART }, { partNumber: 3, sizeBytes: 123_457 }]);
    const early = await client.call("POST", `${base}/uploads/${mid}/complete`, { cookie: owner.cookie });
    expect(early.status).toBe(409);
    expect((await problemOf(early)).detail).toContain("2");

    expect((await put(2, partOf(file, 2))).status).toBe(200);
    expect((await put(1, partOf(file, 1))).status).toBe(200);
    const completed = await client.call("POST", `${base}/uploads/${mid}/complete`, { cookie: owner.cookie });
    expect(completed.status).toBe(200);
    expect(await completed.json()).toMatchObject({
      id: mid, status: "ready", kind: "video", mimeType: "video/mp4", sizeBytes: file.length, width: 1920, height: 1080, durationMs: 10_010,
      videoCodec: "avc1", audioCodec: "mp4a", frameRateMilli: 29_970,
    });

    const stored = await env.MEDIA.get(`ws/${workspace.id}/media/${mid}`);
    expect(stored?.size).toBe(file.length);
    expect(await sha256(new Uint8Array(await stored!.arrayBuffer()))).toBe(await sha256(file));
    expect((await env.DB.prepare("SELECT count(*) AS n FROM media_parts WHERE media_id = ?").bind(mid).first<{ n: number }>())?.n).toBe(0);
    expect(await mediaRows(workspace.id)).toMatchObject([{ status: "ready", upload_id: null }]);
    expect(await auditActions(workspace.id)).toEqual(["media.upload_started", "media.uploaded"]);
    expect((await client.call("POST", `${base}/uploads/${mid}/complete`, { cookie: owner.cookie })).status).toBe(409);
  });

  it("uploads an image in a single part", async () => {
    const { client, owner, base } = await setup();
    const file = jpeg(2048, 1536, { exifBytes: 30_000 });
    const upload = await startUpload(client, owner.cookie, base, "photo.jpeg", file.length);
    expect(upload.partCount).toBe(1);
    expect((await client.call("PUT", `${base}/uploads/${upload.media.id}/parts/1`, { cookie: owner.cookie, ...rawUpload(file) })).status).toBe(200);
    const completed = await client.call("POST", `${base}/uploads/${upload.media.id}/complete`, { cookie: owner.cookie });
    expect(await completed.json()).toMatchObject({ kind: "image", mimeType: "image/jpeg", width: 2048, height: 1536 });
  });

  it("refuses a part of the wrong size or number without storing it", async () => {
    const { client, owner, base } = await setup();
    const upload = await startUpload(client, owner.cookie, base, "clip.mp4", PART + 10);
    const wrongSize = await client.call("PUT", `${base}/uploads/${upload.media.id}/parts/2`, { cookie: owner.cookie, ...rawUpload(new Uint8Array(11)) });
    expect(wrongSize.status).toBe(400);
    expect((await problemOf(wrongSize)).detail).toBe("Part 2 must be exactly 10 bytes.");
    const beyond = await client.call("PUT", `${base}/uploads/${upload.media.id}/parts/3`, { cookie: owner.cookie, ...rawUpload(new Uint8Array(10)) });
    expect(beyond.status).toBe(400);
    const resumed = (await (await client.call("GET", `${base}/uploads/${upload.media.id}`, { cookie: owner.cookie })).json()) as UploadJson;
    expect(resumed.partsDone).toEqual([]);
  });

  it("deletes a completed upload whose bytes are not media, answering 415", async () => {
    const { client, owner, workspace, base } = await setup();
    const text = new TextEncoder().encode("not a video at all");
    const upload = await startUpload(client, owner.cookie, base, "movie.mp4", text.length);
    await client.call("PUT", `${base}/uploads/${upload.media.id}/parts/1`, { cookie: owner.cookie, ...rawUpload(text) });
    const completed = await client.call("POST", `${base}/uploads/${upload.media.id}/complete`, { cookie: owner.cookie });
    expect(completed.status).toBe(415);
    expect(await objectsUnder(workspace.id)).toEqual([]);
    expect(await mediaRows(workspace.id)).toEqual([]);
  });

  it("aborts an upload: R2 parts discarded, row and parts removed, audited", async () => {
    const { client, owner, workspace, base } = await setup();
    const upload = await startUpload(client, owner.cookie, base, "clip.mp4", PART + 10);
    await client.call("PUT", `${base}/uploads/${upload.media.id}/parts/2`, { cookie: owner.cookie, ...rawUpload(new Uint8Array(10)) });
    const aborted = await client.call("DELETE", `${base}/uploads/${upload.media.id}`, { cookie: owner.cookie });
    expect(aborted.status).toBe(204);
    expect(await mediaRows(workspace.id)).toEqual([]);
    expect((await env.DB.prepare("SELECT count(*) AS n FROM media_parts WHERE media_id = ?").bind(upload.media.id).first<{ n: number }>())?.n).toBe(0);
    expect(await objectsUnder(workspace.id)).toEqual([]);
    expect(await auditActions(workspace.id)).toEqual(["media.upload_started", "media.upload_aborted"]);
    expect((await client.call("GET", `${base}/uploads/${upload.media.id}`, { cookie: owner.cookie })).status).toBe(404);
  });

  it("refuses a file over the workspace's limit before anything is stored (413, in GB)", async () => {
    const { client, owner, workspace, base } = await setup();
    const response = await client.call("POST", `${base}/uploads`, { cookie: owner.cookie, body: { name: "huge.mov", sizeBytes: 2 * 1024 ** 3 + 1 } });
    expect(response.status).toBe(413);
    expect(await problemOf(response)).toMatchObject({ type: "/problems/payload-too-large", detail: "Files can be at most 2 GB in this workspace." });
    expect(await mediaRows(workspace.id)).toEqual([]);
    expect(await objectsUnder(workspace.id)).toEqual([]);
  });

  it("counts uploads in progress against the quota, and refuses what would pass it", async () => {
    const { client, owner, workspace, base } = await setup();
    await env.DB.prepare("UPDATE workspaces SET media_quota_bytes = ? WHERE id = ?").bind(30 * 1024 * 1024, workspace.id).run();
    await startUpload(client, owner.cookie, base, "a.mp4", 20 * 1024 * 1024);
    const second = await client.call("POST", `${base}/uploads`, { cookie: owner.cookie, body: { name: "b.mp4", sizeBytes: 11 * 1024 * 1024 } });
    expect(second.status).toBe(413);
    expect((await problemOf(second)).detail).toBe("This file would take the media library past its 30 MB quota (20 MB used). Delete some files first.");
    const small = await client.call("POST", base, { cookie: owner.cookie, ...rawUpload(png(2, 2), "fits.png") });
    expect(small.status).toBe(201);
    expect(await mediaRows(workspace.id)).toHaveLength(2);
  });
});

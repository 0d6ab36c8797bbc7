import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { tiktokAdapter } from "../../worker/platforms/tiktok";
import { SANDBOX } from "../helpers/connect";
import { adapterContext, connectGrant } from "../helpers/oauth-flow";
import { mp4 } from "../publishing/adapter-fixtures";
import { advanceSandboxClock, creatorSettings, MIB } from "../publishing/tiktok-fixtures";

/** The sandbox's TikTok Content Posting protocol rules (shared/platforms/tiktok.md §2–§4, §7). */
const API = `${SANDBOX}/open.tiktokapis.com`;
let publishToken = "";
let uploadOnlyToken = "";

type Envelope = { data: Record<string, unknown>; error: { code: string; message: string; log_id: string } };

async function call(path: string, token: string, body?: unknown): Promise<{ status: number; body: Envelope }> {
  const response = await fetch(`${API}${path}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json; charset=UTF-8" }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, body: (await response.json()) as Envelope };
}

const fileInit = (videoSize: number, chunkSize: number, totalChunks: number, privacy = "SELF_ONLY") =>
  call("/v2/post/publish/video/init/", publishToken, { post_info: { title: "Protocol test", privacy_level: privacy }, source_info: { source: "FILE_UPLOAD", video_size: videoSize, chunk_size: chunkSize, total_chunk_count: totalChunks } });

function put(uploadUrl: string, bytes: Uint8Array, range: string, contentType = "video/mp4"): Promise<Response> {
  const url = new URL(uploadUrl);
  return fetch(`${SANDBOX}/${url.host}${url.pathname}${url.search}`, { method: "PUT", headers: { "content-type": contentType, "content-range": range }, body: bytes.slice() as Uint8Array<ArrayBuffer> });
}

beforeAll(async () => {
  const ctx = adapterContext(tiktokAdapter);
  publishToken = (await connectGrant(tiktokAdapter, ctx, { scopes: ["user.info.basic", "video.upload", "video.publish"] })).tokens.accessToken;
  uploadOnlyToken = (await connectGrant(tiktokAdapter, ctx, { scopes: ["user.info.basic", "video.upload"] })).tokens.accessToken;
});

beforeEach(async () => {
  await creatorSettings({ reset: true, dailyPostCap: 1000 });
  await advanceSandboxClock(61_000);
});

describe("TikTok sandbox: init", () => {
  it("validates the chunk plan exactly as the media-transfer guide says", async () => {
    const ok = await fileInit(16 * MIB, 5 * MIB, 3);
    expect(ok.status).toBe(200);
    expect(ok.body.error.code).toBe("ok");
    expect(ok.body.data.publish_id).toMatch(/^v_pub_file~v2\.\d{19}$/);
    expect(ok.body.data.upload_url).toMatch(/^https:\/\/open-upload\.tiktokapis\.com\/video\/\?upload_id=\d+&upload_token=\w+$/);
    for (const [size, chunk, count] of [
      [16 * MIB, 5 * MIB, 4], // count must be floor(size / chunk)
      [16 * MIB, 4 * MIB, 4], // chunks under 5 MB
      [200 * MIB, 100 * MIB, 2], // chunks over 64 MB
      [3 * MIB, 1 * MIB, 3], // small files are one chunk
    ] as const) {
      await advanceSandboxClock(61_000);
      const refused = await fileInit(size, chunk, count);
      expect(refused.status, `${size}/${chunk}/${count}`).toBe(400);
      expect(refused.body.error.code).toBe("invalid_params");
      expect(refused.body.data).toEqual({});
    }
  });

  it("checks scopes, the creator's privacy options and the per-minute limit", async () => {
    const noPublish = await call("/v2/post/publish/video/init/", uploadOnlyToken, { post_info: { privacy_level: "SELF_ONLY" }, source_info: { source: "FILE_UPLOAD", video_size: MIB, chunk_size: MIB, total_chunk_count: 1 } });
    expect(noPublish).toMatchObject({ status: 401, body: { error: { code: "scope_not_authorized" } } });
    expect((await call("/v2/post/publish/creator_info/query/", uploadOnlyToken)).body.error.code).toBe("scope_not_authorized");
    expect((await call("/v2/post/publish/video/init/", "act.bogus", {})).body.error.code).toBe("access_token_invalid");

    await creatorSettings({ privateAccount: true });
    const mismatch = await fileInit(MIB, MIB, 1, "PUBLIC_TO_EVERYONE");
    expect(mismatch).toMatchObject({ status: 400, body: { error: { code: "privacy_level_option_mismatch" } } });

    // 6 inits per minute per token (the mismatch above was the first).
    for (let i = 0; i < 5; i++) expect((await fileInit(MIB, MIB, 1)).status).toBe(200);
    expect(await fileInit(MIB, MIB, 1)).toMatchObject({ status: 429, body: { error: { code: "rate_limit_exceeded" } } });
    await advanceSandboxClock(61_000);
    expect((await fileInit(MIB, MIB, 1)).status).toBe(200);
  });

  it("refuses new posts once the creator's daily cap is reached", async () => {
    await creatorSettings({ dailyPostCap: 0 });
    expect(await call("/v2/post/publish/creator_info/query/", publishToken)).toMatchObject({ status: 403, body: { error: { code: "spam_risk_too_many_posts" } } });
    expect(await fileInit(MIB, MIB, 1)).toMatchObject({ status: 403, body: { error: { code: "spam_risk_too_many_posts" } } });
  });

  it("has no delete endpoint (TikTok's Content Posting API has none)", async () => {
    const response = await fetch(`${API}/v2/post/publish/delete/`, { method: "POST", headers: { authorization: `Bearer ${publishToken}` } });
    expect(response.status).toBe(404);
  });
});

describe("TikTok sandbox: upload and status", () => {
  it("takes ordered chunks with exact ranges (re-sent chunks are fine), answers 206 then 201, and reports bytes", async () => {
    const size = 11 * MIB;
    const bytes = mp4(size);
    const init = await fileInit(size, 5 * MIB, 2);
    const uploadUrl = String(init.body.data.upload_url);
    const publishId = String(init.body.data.publish_id);
    const first = bytes.subarray(0, 5 * MIB);
    const second = bytes.subarray(5 * MIB);

    expect((await put(uploadUrl, second, `bytes ${5 * MIB}-${size - 1}/${size}`)).status).toBe(416); // out of order
    expect((await put(uploadUrl, first, `bytes 0-${5 * MIB - 1}/${size + 1}`)).status).toBe(416); // wrong total
    expect((await put(uploadUrl, first.subarray(1), `bytes 1-${5 * MIB - 1}/${size}`)).status).toBe(416); // not a chunk boundary
    expect((await put(uploadUrl, first, `bytes 0-${5 * MIB - 1}/${size}`, "application/octet-stream")).status).toBe(400);
    expect((await put(uploadUrl, first, `0-${5 * MIB - 1}/${size}`)).status).toBe(400);

    expect((await put(uploadUrl, first, `bytes 0-${5 * MIB - 1}/${size}`)).status).toBe(206);
    expect((await put(uploadUrl, first, `bytes 0-${5 * MIB - 1}/${size}`)).status).toBe(206); // again: idempotent
    const uploading = await call("/v2/post/publish/status/fetch/", publishToken, { publish_id: publishId });
    expect(uploading.body.data).toMatchObject({ status: "PROCESSING_UPLOAD", uploaded_bytes: 5 * MIB });

    expect((await put(uploadUrl, second, `bytes ${5 * MIB}-${size - 1}/${size}`, "video/quicktime")).status).toBe(201);
    const processing = await call("/v2/post/publish/status/fetch/", publishToken, { publish_id: publishId });
    expect(processing.body.data).toMatchObject({ status: "PROCESSING_UPLOAD", uploaded_bytes: size, publicaly_available_post_id: [] });

    await advanceSandboxClock(120_000);
    const done = await call("/v2/post/publish/status/fetch/", publishToken, { publish_id: publishId });
    // SELF_ONLY: complete, but never a public id.
    expect(done.body).toMatchObject({ data: { status: "PUBLISH_COMPLETE", fail_reason: "", publicaly_available_post_id: [] }, error: { code: "ok" } });
  });

  it("refuses an expired upload URL and answers unknown publish ids in TikTok's envelope", async () => {
    const init = await fileInit(MIB, MIB, 1);
    await advanceSandboxClock(61 * 60_000);
    expect((await put(String(init.body.data.upload_url), mp4(MIB), `bytes 0-${MIB - 1}/${MIB}`)).status).toBe(404);
    const unknown = await call("/v2/post/publish/status/fetch/", publishToken, { publish_id: "v_pub_file~v2.7300000000000099999" });
    expect(unknown).toMatchObject({ status: 400, body: { data: {}, error: { code: "invalid_params" } } });
    expect(unknown.body.error.log_id).toMatch(/^\d{14}[0-9A-F]{8}$/);
  });

  it("caps pending inbox drafts", async () => {
    await creatorSettings({ pendingDraftCap: 0 });
    const refused = await call("/v2/post/publish/inbox/video/init/", uploadOnlyToken, { source_info: { source: "FILE_UPLOAD", video_size: MIB, chunk_size: MIB, total_chunk_count: 1 } });
    expect(refused).toMatchObject({ status: 403, body: { error: { code: "spam_risk_too_many_pending_share" } } });
  });
});

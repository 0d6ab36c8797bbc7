import { Hono } from "hono";
import type { SandboxEnv } from "../app";
import { SANDBOX_APPS } from "../apps";
import { fieldsOf, graphError, pick } from "./graph-common";
import { type Ctx, hex, missingParam, publishCaller, unsupported } from "./meta-publish-common";

/**
 * The Resumable Upload API (meta-auth-and-pages.md §3.5 step 1–2): `POST /{app-id}/uploads` opens a
 * session `upload:…`, `POST /upload:…` with a `file_offset` header appends bytes and answers the file
 * handle `{h}`, `GET /upload:…` reports `{id, file_offset}` to resume. The handle is then published with
 * `POST /{page}/videos fbuploader_video_file_chunk=<h>` (facebook-video.ts).
 */
const V = "/:version{v[0-9]+\\.[0-9]+}";
const APP_ID = SANDBOX_APPS.meta.clientId;

export type UploadSession = { grantId: string; fileName: string; fileLength: number; fileType: string; received: number; head: string | null; handle: string };

function randomToken(bytes: number): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...raw)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The finished upload behind a handle, when all its bytes arrived under the caller's grant. */
export function uploadByHandle(c: Ctx, grantId: string, handle: string): UploadSession | null {
  const id = c.var.store.meta(`fb:upload_handle:${handle}`);
  const session = id ? c.var.store.publishing.object<UploadSession>(id) : null;
  if (!session || session.data.grantId !== grantId || session.data.received !== session.data.fileLength) return null;
  return session.data;
}

export function facebookResumableRoutes(): Hono<SandboxEnv> {
  return new Hono<SandboxEnv>()
    .post(`${V}/:app{[0-9]+}/uploads`, async (c) => {
      const who = await publishCaller(c);
      if (who instanceof Response) return who;
      if (c.req.param("app") !== APP_ID) return unsupported(c, c.req.param("app"));
      const length = Number(who.params.get("file_length"));
      if (!Number.isInteger(length) || length <= 0) return missingParam(c, "file_length");
      const fileType = who.params.get("file_type") ?? "";
      if (!/^(video|image)\//.test(fileType) && fileType !== "application/pdf") return graphError(c, { code: 100, message: "(#100) Param file_type must be one of {application/pdf, image/jpeg, image/jpg, image/png, video/mp4}" });
      const id = `upload:${randomToken(24)}`;
      const handle = `2:${randomToken(30)}`;
      c.var.store.publishing.createObject<UploadSession>({ id, platform: "facebook", accountId: `app:${APP_ID}`, kind: "upload_session", data: { grantId: who.grant.id, fileName: who.params.get("file_name") ?? "file", fileLength: length, fileType, received: 0, head: null, handle } });
      c.var.store.setMeta(`fb:upload_handle:${handle}`, id);
      return c.json({ id: `${id}?sig=ARZ${randomToken(12)}` });
    })
    .get(`${V}/:session{upload[^/]+}`, async (c) => {
      const who = await publishCaller(c);
      if (who instanceof Response) return who;
      const id = c.req.param("session");
      const session = c.var.store.publishing.object<UploadSession>(id);
      if (!session || session.kind !== "upload_session" || session.data.grantId !== who.grant.id) return unsupported(c, id);
      return c.json(pick({ id, file_offset: session.data.received }, fieldsOf(who.params, ["id", "file_offset"])));
    })
    .post(`${V}/:session{upload[^/]+}`, async (c) => {
      const who = await publishCaller(c);
      if (who instanceof Response) return who;
      const id = c.req.param("session");
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      const session = c.var.store.publishing.object<UploadSession>(id);
      if (!session || session.kind !== "upload_session" || session.data.grantId !== who.grant.id) return unsupported(c, id);
      const offset = Number(c.req.header("file_offset") ?? "0");
      const s = session.data;
      // Offset and overflow answers are unverified; the real API wants the exact resume offset.
      if (offset !== s.received) return graphError(c, { code: 100, subcode: 1363037, message: `(#100) file_offset ${offset} does not match the ${s.received} bytes received.` });
      if (bytes.byteLength === 0 || offset + bytes.byteLength > s.fileLength) return graphError(c, { code: 100, message: "(#100) The body does not fit the declared file_length." });
      c.var.store.publishing.updateObject(id, { ...s, received: offset + bytes.byteLength, head: s.head ?? hex(bytes.slice(0, 64)) });
      return c.json({ h: s.handle });
    });
}

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countRows, firstRow, rowsOf, tableCounts } from "../helpers/d1";
import { addMember, createWorkspace, makeClient, PASSWORD, problemOf, sessionCookieFrom, signUp } from "../helpers/client";
import { imageUpload, jpegBytes, oversizedPngBytes, pngBytes, textBytes } from "../helpers/images";

const avatarKey = (userId: string) => `users/${userId}/avatar`;
const userRow = (id: string) => firstRow<{ name: string; avatar_key: string | null; avatar_updated_at: number | null; password_hash: string }>("SELECT * FROM users WHERE id = ?", id);

describe("PATCH /api/me", () => {
  it("renames the user, trimmed, and records it in the audit log", async () => {
    const client = makeClient();
    const user = await signUp(client);
    const response = await client.call("PATCH", "/api/me", { cookie: user.cookie, body: { name: "  Ada King  " } });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: user.id, name: "Ada King", email: user.email });
    expect((await userRow(user.id))?.name).toBe("Ada King");
    expect(await countRows("audit_log", "actor_id = ? AND action = 'user.profile_updated'", user.id)).toBe(1);
  });

  it.each([
    { label: "an empty name", body: { name: "   " }, path: "name" },
    { label: "a name over 80 characters", body: { name: "x".repeat(81) }, path: "name" },
    { label: "a field that cannot be changed here", body: { email: "new@example.com" }, path: "email" },
  ])("refuses $label with 400 errors[path=$path] and changes nothing", async ({ body, path }) => {
    const client = makeClient();
    const user = await signUp(client);
    const before = await tableCounts();
    const response = await client.call("PATCH", "/api/me", { cookie: user.cookie, body });

    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({ type: "/problems/validation", errors: [{ path }] });
    expect((await userRow(user.id))?.name).toBe(user.name);
    expect(await tableCounts()).toEqual(before);
  });

  it("requires a session", async () => {
    const client = makeClient();
    const response = await client.call("PATCH", "/api/me", { body: { name: "Nobody" } });
    expect(response.status).toBe(401);
    expect(await problemOf(response)).toMatchObject({ type: "/problems/unauthenticated" });
  });
});

describe("avatar", () => {
  it("stores a PNG in R2 under users/<id>/avatar with its content type and serves it back with nosniff", async () => {
    const client = makeClient();
    const user = await signUp(client);
    const png = pngBytes();
    const response = await client.call("PUT", "/api/me/avatar", { cookie: user.cookie, ...imageUpload(png, "image/png") });

    expect(response.status).toBe(200);
    const me = (await response.json()) as { avatarUrl: string };
    expect(me.avatarUrl).toBe(`/api/users/${user.id}/avatar?v=${client.clock.now}`);
    const object = await env.MEDIA.get(avatarKey(user.id));
    expect(object?.httpMetadata?.contentType).toBe("image/png");
    expect(new Uint8Array(await object!.arrayBuffer())).toEqual(png);
    expect(await userRow(user.id)).toMatchObject({ avatar_key: avatarKey(user.id), avatar_updated_at: client.clock.now });
    expect(await rowsOf("SELECT detail FROM audit_log WHERE actor_id = ? AND action = 'user.avatar_changed'", user.id)).toEqual([
      { detail: JSON.stringify({ type: "image/png", bytes: png.byteLength }) },
    ]);

    const served = await client.call("GET", me.avatarUrl, { cookie: user.cookie });
    expect(served.status).toBe(200);
    expect(served.headers.get("Content-Type")).toBe("image/png");
    expect(served.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(served.headers.get("Cache-Control")).toBe("private, max-age=300");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(png);
  });

  it("is readable by a teammate who shares a workspace, and is 404 to a stranger and to signed-out visitors", async () => {
    const client = makeClient();
    const owner = await signUp(client);
    const teammate = await signUp(client);
    const stranger = await signUp(client);
    const workspace = await createWorkspace(client, owner);
    await addMember(client, workspace.id, owner, teammate, "viewer");
    expect((await client.call("PUT", "/api/me/avatar", { cookie: owner.cookie, ...imageUpload(pngBytes(), "image/png") })).status).toBe(200);

    const asTeammate = await client.call("GET", `/api/users/${owner.id}/avatar`, { cookie: teammate.cookie });
    expect(asTeammate.status).toBe(200);
    expect(new Uint8Array(await asTeammate.arrayBuffer())).toEqual(pngBytes());

    const asStranger = await client.call("GET", `/api/users/${owner.id}/avatar`, { cookie: stranger.cookie });
    expect(asStranger.status).toBe(404);
    expect(await problemOf(asStranger)).toMatchObject({ type: "/problems/not-found" });

    const anonymous = await client.call("GET", `/api/users/${owner.id}/avatar`);
    expect(anonymous.status).toBe(401);
  });

  it("answers 404 for a user without an avatar, even one's own", async () => {
    const client = makeClient();
    const user = await signUp(client);
    const response = await client.call("GET", `/api/users/${user.id}/avatar`, { cookie: user.cookie });
    expect(response.status).toBe(404);
    expect(await problemOf(response)).toMatchObject({ type: "/problems/not-found", detail: "This avatar does not exist, or you do not have access to it." });
  });

  it.each([
    { label: "JPEG bytes declared as image/png", bytes: jpegBytes(), type: "image/png", detail: "This file is a JPEG image but was sent as image/png." },
    { label: "a text file declared as image/png", bytes: textBytes(), type: "image/png", detail: "This file is not a PNG, JPEG, GIF or WebP image, whatever its name says." },
    { label: "a text file declared as text/plain", bytes: textBytes(), type: "text/plain", detail: "Upload a PNG, JPEG, GIF or WebP image." },
    { label: "an SVG", bytes: textBytes("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"), type: "image/svg+xml", detail: "Upload a PNG, JPEG, GIF or WebP image." },
  ])("refuses $label with 415 and stores nothing", async ({ bytes, type, detail }) => {
    const client = makeClient();
    const user = await signUp(client);
    const before = await tableCounts();
    const response = await client.call("PUT", "/api/me/avatar", { cookie: user.cookie, ...imageUpload(bytes, type) });

    expect(response.status).toBe(415);
    expect(await problemOf(response)).toMatchObject({ type: "/problems/unsupported-media-type", status: 415, detail });
    expect(await env.MEDIA.head(avatarKey(user.id))).toBeNull();
    expect(await userRow(user.id)).toMatchObject({ avatar_key: null });
    expect(await tableCounts()).toEqual(before);
  });

  it("refuses an image over 2 MB with 413 and stores nothing", async () => {
    const client = makeClient();
    const user = await signUp(client);
    const before = await tableCounts();
    const response = await client.call("PUT", "/api/me/avatar", { cookie: user.cookie, ...imageUpload(oversizedPngBytes(), "image/png") });

    expect(response.status).toBe(413);
    expect(await problemOf(response)).toMatchObject({ type: "/problems/payload-too-large", detail: "Images can be at most 2 MB." });
    expect(await env.MEDIA.head(avatarKey(user.id))).toBeNull();
    expect(await tableCounts()).toEqual(before);
  });

  it("enforces the 2 MB cap while streaming a body that declares no length", async () => {
    const client = makeClient();
    const user = await signUp(client);
    const chunk = oversizedPngBytes().slice(0, 512 * 1024);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 5) return controller.close();
        controller.enqueue(sent === 0 ? chunk : new Uint8Array(chunk.byteLength));
        sent += 1;
      },
    });
    const response = await client.call("PUT", "/api/me/avatar", { cookie: user.cookie, rawBody: stream, headers: { "Content-Type": "image/png" } });

    expect(response.status).toBe(413);
    expect(await problemOf(response)).toMatchObject({ type: "/problems/payload-too-large" });
    expect(await env.MEDIA.head(avatarKey(user.id))).toBeNull();
  });

  it("refuses an empty upload with 400 on the body", async () => {
    const client = makeClient();
    const user = await signUp(client);
    const response = await client.call("PUT", "/api/me/avatar", { cookie: user.cookie, ...imageUpload(new Uint8Array(0), "image/png") });
    expect(response.status).toBe(400);
    expect(await problemOf(response)).toMatchObject({ type: "/problems/validation", errors: [{ path: "body" }] });
  });

  it("DELETE removes the object from R2 and clears avatarUrl", async () => {
    const client = makeClient();
    const user = await signUp(client);
    expect((await client.call("PUT", "/api/me/avatar", { cookie: user.cookie, ...imageUpload(pngBytes(), "image/png") })).status).toBe(200);

    const response = await client.call("DELETE", "/api/me/avatar", { cookie: user.cookie });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: user.id, avatarUrl: null });
    expect(await env.MEDIA.head(avatarKey(user.id))).toBeNull();
    expect(await userRow(user.id)).toMatchObject({ avatar_key: null, avatar_updated_at: null });
    expect((await client.call("GET", `/api/users/${user.id}/avatar`, { cookie: user.cookie })).status).toBe(404);
    expect(await countRows("audit_log", "actor_id = ? AND action = 'user.avatar_removed'", user.id)).toBe(1);
  });
});

describe("POST /api/me/password", () => {
  it("refuses a wrong current password with 400 errors[path=currentPassword] and keeps every session", async () => {
    const client = makeClient();
    const user = await signUp(client);
    const { password_hash: hashBefore } = (await userRow(user.id))!;
    const response = await client.call("POST", "/api/me/password", { cookie: user.cookie, body: { currentPassword: "not my password", newPassword: "a brand new passphrase" } });

    expect(response.status).toBe(400);
    expect(await problemOf(response)).toMatchObject({ type: "/problems/validation", errors: [{ path: "currentPassword" }] });
    expect(response.headers.getSetCookie()).toEqual([]);
    expect((await userRow(user.id))?.password_hash).toBe(hashBefore);
    expect((await client.call("GET", "/api/me", { cookie: user.cookie })).status).toBe(200);
  });

  it("refuses a new password that is too short with 400 errors[path=newPassword]", async () => {
    const client = makeClient();
    const user = await signUp(client);
    const response = await client.call("POST", "/api/me/password", { cookie: user.cookie, body: { currentPassword: PASSWORD, newPassword: "short" } });
    expect(response.status).toBe(400);
    expect(await problemOf(response)).toMatchObject({ type: "/problems/validation", errors: [{ path: "newPassword" }] });
  });

  it("changes the password, signs out every other session and keeps this browser signed in on a new cookie", async () => {
    const client = makeClient();
    const user = await signUp(client);
    const otherDevice = await client.call("POST", "/api/auth/login", { body: { email: user.email, password: PASSWORD } });
    const otherCookie = sessionCookieFrom(otherDevice);
    const newPassword = "a brand new passphrase";

    const response = await client.call("POST", "/api/me/password", { cookie: user.cookie, body: { currentPassword: PASSWORD, newPassword } });
    expect(response.status).toBe(204);
    const freshCookie = sessionCookieFrom(response);

    expect((await client.call("GET", "/api/me", { cookie: otherCookie })).status).toBe(401);
    expect((await client.call("GET", "/api/me", { cookie: user.cookie })).status).toBe(401);
    expect((await client.call("GET", "/api/me", { cookie: freshCookie })).status).toBe(200);
    const sessions = await rowsOf<{ revoked_at: number | null }>("SELECT revoked_at FROM sessions WHERE user_id = ?", user.id);
    expect(sessions).toHaveLength(3);
    expect(sessions.filter((s) => s.revoked_at === null)).toHaveLength(1);
    expect((await userRow(user.id))?.password_hash).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(await countRows("audit_log", "actor_id = ? AND action = 'user.password_changed'", user.id)).toBe(1);

    const withOld = await client.call("POST", "/api/auth/login", { body: { email: user.email, password: PASSWORD } });
    expect(withOld.status).toBe(401);
    expect(await problemOf(withOld)).toMatchObject({ type: "/problems/invalid-credentials" });
    expect((await client.call("POST", "/api/auth/login", { body: { email: user.email, password: newPassword } })).status).toBe(200);
  });
});

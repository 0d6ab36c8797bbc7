import { env } from "cloudflare:workers";
import { decodeJwt, SignJWT, UnsecuredJWT } from "jose";
import { describe, expect, it } from "vitest";
import { firstRow, tableCounts } from "../helpers/d1";
import { type Client, makeClient, problemOf, sessionCookieFrom, signUp, TestClock, type TestUser } from "../helpers/client";

const COOKIE = "atelier_session";
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const SECRET = new TextEncoder().encode(env.SESSION_SECRET);

const tokenOf = (user: TestUser) => user.cookie.slice(`${COOKIE}=`.length);
const claimsOf = (user: TestUser) => decodeJwt(tokenOf(user)) as { sub: string; sid: string; iat: number; exp: number };

const b64url = (text: string) => btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

/** A token with the server's claim layout; `alg`, key and claims are the attacker's choice. */
function forge(claims: { sub: string; sid: string }, now: number, options: { alg?: string; key?: Uint8Array; issuer?: string; audience?: string } = {}) {
  const iat = Math.floor(now / 1000);
  return new SignJWT({ sid: claims.sid })
    .setProtectedHeader({ alg: options.alg ?? "HS256", typ: "JWT" })
    .setSubject(claims.sub)
    .setIssuer(options.issuer ?? "atelier")
    .setAudience(options.audience ?? "atelier-session")
    .setIssuedAt(iat)
    .setExpirationTime(iat + 3600)
    .sign(options.key ?? SECRET);
}

async function expectRefused(client: Client, token: string): Promise<void> {
  const before = await tableCounts();
  const response = await client.call("GET", "/api/me", { cookie: `${COOKIE}=${token}` });
  expect(response.status).toBe(401);
  expect(await problemOf(response)).toMatchObject({ type: "/problems/unauthenticated", status: 401 });
  // The rejected cookie is cleared so the browser stops sending it.
  expect(response.headers.getSetCookie()).toEqual([expect.stringMatching(/^atelier_session=;.*Max-Age=0/)]);
  expect(await tableCounts()).toEqual(before);
}

describe("session token attacks against /api/me", () => {
  it("refuses a token whose payload was changed to another user's id, signature kept", async () => {
    const client = makeClient();
    const victim = await signUp(client);
    const attacker = await signUp(client);
    const [header, payload, signature] = tokenOf(attacker).split(".");
    const claims = JSON.parse(atob((payload ?? "").replaceAll("-", "+").replaceAll("_", "/"))) as Record<string, unknown>;
    const tampered = `${header}.${b64url(JSON.stringify({ ...claims, sub: victim.id }))}.${signature}`;

    await expectRefused(client, tampered);
    // The untouched token still works, so the refusal is about the tampering.
    expect((await client.call("GET", "/api/me", { cookie: attacker.cookie })).status).toBe(200);
  });

  it("refuses a correctly signed token that pairs one user's session with another user's id", async () => {
    const client = makeClient();
    const victim = await signUp(client);
    const attacker = await signUp(client);
    await expectRefused(client, await forge({ sub: victim.id, sid: claimsOf(attacker).sid }, client.clock.now));
  });

  it("refuses a token signed with another secret", async () => {
    const client = makeClient();
    const user = await signUp(client);
    const otherSecret = new TextEncoder().encode("another-secret-0123456789abcdef0123456789abcdef");
    await expectRefused(client, await forge(claimsOf(user), client.clock.now, { key: otherSecret }));
  });

  it("refuses an unsigned alg:none token", async () => {
    const client = makeClient();
    const user = await signUp(client);
    const iat = Math.floor(client.clock.now / 1000);
    const unsigned = new UnsecuredJWT({ sid: claimsOf(user).sid })
      .setSubject(user.id)
      .setIssuer("atelier")
      .setAudience("atelier-session")
      .setIssuedAt(iat)
      .setExpirationTime(iat + 3600)
      .encode();
    expect(unsigned.endsWith(".")).toBe(true);
    await expectRefused(client, unsigned);
  });

  it("refuses an HS512 token even when signed with the real secret", async () => {
    const client = makeClient();
    const user = await signUp(client);
    await expectRefused(client, await forge(claimsOf(user), client.clock.now, { alg: "HS512" }));
  });

  it("refuses an RS256-labelled token carrying an HMAC signature (algorithm confusion)", async () => {
    const client = makeClient();
    const user = await signUp(client);
    const real = tokenOf(user).split(".");
    const header = b64url(JSON.stringify({ alg: "RS256", typ: "JWT" }));
    await expectRefused(client, `${header}.${real[1]}.${real[2]}`);
  });

  it("refuses a token for another issuer or audience", async () => {
    const client = makeClient();
    const user = await signUp(client);
    await expectRefused(client, await forge(claimsOf(user), client.clock.now, { issuer: "someone-else" }));
    await expectRefused(client, await forge(claimsOf(user), client.clock.now, { audience: "atelier-admin" }));
  });

  it("refuses garbage in the cookie", async () => {
    const client = makeClient();
    await expectRefused(client, "not.a.jwt");
  });
});

describe("session lifetime", () => {
  it("renews an expired JWT whose session is still alive: 200 and a fresh cookie (sliding renewal)", async () => {
    const clock = new TestClock();
    const client = makeClient(clock);
    const user = await signUp(client);
    const { sid } = claimsOf(user);
    clock.advance(HOUR + 1000);

    const response = await client.call("GET", "/api/me", { cookie: user.cookie });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: user.id });
    const renewed = sessionCookieFrom(response);
    expect(renewed).not.toBe(user.cookie);
    const claims = decodeJwt(renewed.slice(`${COOKIE}=`.length));
    expect(claims).toMatchObject({ sub: user.id, sid, iat: Math.floor(clock.now / 1000), exp: Math.floor(clock.now / 1000) + 3600 });
    // The session is the same one, marked as seen now.
    expect(await firstRow("SELECT last_seen_at, revoked_at FROM sessions WHERE id = ?", sid)).toEqual({ last_seen_at: clock.now, revoked_at: null });
    expect((await client.call("GET", "/api/me", { cookie: renewed })).headers.getSetCookie()).toEqual([]);
  });

  it("does not renew a JWT that is still valid", async () => {
    const clock = new TestClock();
    const client = makeClient(clock);
    const user = await signUp(client);
    clock.advance(HOUR - 1000);
    const response = await client.call("GET", "/api/me", { cookie: user.cookie });
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("refuses an expired JWT whose session has expired too (after 30 days)", async () => {
    const clock = new TestClock();
    const client = makeClient(clock);
    const user = await signUp(client);
    clock.advance(30 * DAY);
    await expectRefused(client, tokenOf(user));
  });

  it("refuses a JWT whose session was revoked, even before the JWT expires", async () => {
    const client = makeClient();
    const user = await signUp(client);
    const { sid } = claimsOf(user);
    await env.DB.prepare("UPDATE sessions SET revoked_at = ? WHERE id = ?").bind(client.clock.now, sid).run();
    await expectRefused(client, tokenOf(user));
  });

  it("refuses a revoked session's expired JWT instead of renewing it", async () => {
    const clock = new TestClock();
    const client = makeClient(clock);
    const user = await signUp(client);
    expect((await client.call("POST", "/api/auth/logout", { cookie: user.cookie })).status).toBe(204);
    clock.advance(HOUR + 1000);
    await expectRefused(client, tokenOf(user));
  });
});

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { countRows, firstRow, rowsOf, tableCounts } from "../helpers/d1";
import { makeClient, PASSWORD, problemOf, sessionCookieFrom, signUp, TestClock, uniqueEmail } from "../helpers/client";

type UserRow = { id: string; email: string; name: string; password_hash: string };
type SessionRow = { id: string; user_id: string; revoked_at: number | null; ip: string | null; user_agent: string | null };

const sessionsOf = (userId: string) => rowsOf<SessionRow>("SELECT * FROM sessions WHERE user_id = ? ORDER BY created_at, id", userId);

describe("POST /api/auth/signup", () => {
  it("creates the account, signs in with an HttpOnly Lax cookie and stores only a PBKDF2 hash", async () => {
    const client = makeClient();
    const email = uniqueEmail("signup");
    const response = await client.call("POST", "/api/auth/signup", { body: { email, name: "  Grace Hopper ", password: PASSWORD } });

    expect(response.status).toBe(201);
    const me = (await response.json()) as { id: string };
    expect(me).toEqual({ id: expect.any(String), email, name: "Grace Hopper", avatarUrl: null, createdAt: new Date(client.clock.now).toISOString() });
    const [setCookie] = response.headers.getSetCookie();
    expect(setCookie).toMatch(/^atelier_session=[\w-]+\.[\w-]+\.[\w-]+;/);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Lax");
    expect(setCookie).toContain("Path=/");

    const user = await firstRow<UserRow>("SELECT * FROM users WHERE id = ?", me.id);
    expect(user).toMatchObject({ email, name: "Grace Hopper" });
    expect(user?.password_hash).toMatch(/^pbkdf2-sha256\$100000\$[\w-]{22}\$[\w-]{43}$/);
    expect(user?.password_hash).not.toContain(PASSWORD);
    const sessions = await sessionsOf(me.id);
    expect(sessions).toEqual([expect.objectContaining({ revoked_at: null, user_agent: "atelier-tests" })]);
    expect(await countRows("audit_log", "actor_id = ? AND action = 'user.signed_up'", me.id)).toBe(1);

    const meResponse = await client.call("GET", "/api/me", { cookie: sessionCookieFrom(response) });
    expect(meResponse.status).toBe(200);
    expect(await meResponse.json()).toMatchObject({ id: me.id, email });
  });

  it("over HTTPS names the cookie __Host-atelier_session and marks it Secure", async () => {
    const { app } = makeClient();
    const ctx = createExecutionContext();
    const response = await app.request(
      "https://atelier.test/api/auth/signup",
      {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: "https://atelier.test", "CF-Connecting-IP": "198.51.100.77" },
        body: JSON.stringify({ email: uniqueEmail("https"), name: "Secure Sam", password: PASSWORD }),
      },
      env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(201);
    const [setCookie] = response.headers.getSetCookie();
    expect(setCookie).toMatch(/^__Host-atelier_session=/);
    expect(setCookie).toContain("Secure");
    expect(setCookie).toContain("Path=/");
    expect(setCookie).not.toContain("Domain=");
  });

  it("refuses a second account for the same email, whatever its case, with 409 on the email field", async () => {
    const client = makeClient();
    const email = uniqueEmail("dupe");
    await signUp(client, { email });

    for (const attempt of [email, email.toUpperCase(), `  ${email.replace("dupe", "DUPE")} `]) {
      const response = await client.call("POST", "/api/auth/signup", { body: { email: attempt, name: "Copycat", password: PASSWORD } });
      expect(response.status).toBe(409);
      const problem = await problemOf(response);
      expect(problem).toMatchObject({ type: "/problems/conflict", status: 409, errors: [{ path: "email", message: "This email is already registered." }] });
      expect(response.headers.getSetCookie()).toEqual([]);
    }
    expect(await countRows("users", "email = ?", email)).toBe(1);
    expect(await countRows("users", "lower(email) = ?", email)).toBe(1);
  });

  it.each([
    { label: "missing fields", body: {}, paths: ["email", "password", "name"] },
    { label: "a malformed email", body: { email: "not-an-email", name: "Bad", password: PASSWORD }, paths: ["email"] },
    { label: "a short password", body: { email: "short@example.com", name: "Bad", password: "123456789" }, paths: ["password"] },
    { label: "a blank name", body: { email: "blank@example.com", name: "   ", password: PASSWORD }, paths: ["name"] },
    { label: "an unknown extra field", body: { email: "extra@example.com", name: "Bad", password: PASSWORD, isAdmin: true }, paths: ["isAdmin"] },
  ])("rejects $label with a 400 validation problem per field and writes nothing", async ({ body, paths }) => {
    const client = makeClient();
    const before = await tableCounts();
    const response = await client.call("POST", "/api/auth/signup", { body });

    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.type).toBe("/problems/validation");
    expect(problem.errors?.map((e) => e.path).sort()).toEqual([...paths].sort());
    for (const error of problem.errors ?? []) expect(error.message).not.toBe("");
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await tableCounts()).toEqual(before);
  });

  it("rejects a body that is not JSON with a 400 malformed-request problem and writes nothing", async () => {
    const client = makeClient();
    const before = await tableCounts();
    const response = await client.call("POST", "/api/auth/signup", { rawBody: '{"email": "x@example.com",', headers: { "Content-Type": "application/json" } });

    expect(response.status).toBe(400);
    expect(await problemOf(response)).toMatchObject({ type: "/problems/malformed-request", status: 400, detail: "The request body is not valid JSON." });
    expect(await tableCounts()).toEqual(before);
  });

  it("refuses a JSON body sent with another content type with a 415 problem and writes nothing", async () => {
    const client = makeClient();
    const before = await tableCounts();
    const email = uniqueEmail("plain");
    const response = await client.call("POST", "/api/auth/signup", {
      rawBody: JSON.stringify({ email, name: "Plain", password: PASSWORD }),
      headers: { "Content-Type": "text/plain" },
    });

    expect(response.status).toBe(415);
    expect(await problemOf(response)).toMatchObject({
      type: "/problems/unsupported-media-type",
      status: 415,
      detail: "Send the request body as JSON with Content-Type: application/json.",
    });
    expect(await tableCounts()).toEqual(before);
  });
});

describe("POST /api/auth/login", () => {
  it("signs in with the right password: 200, the user, a new session row and cookie", async () => {
    const client = makeClient();
    const user = await signUp(client);
    const response = await client.call("POST", "/api/auth/login", { body: { email: user.email.toUpperCase(), password: PASSWORD } });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: user.id, email: user.email, name: user.name });
    const cookie = sessionCookieFrom(response);
    expect(cookie).not.toBe(user.cookie);
    expect((await client.call("GET", "/api/me", { cookie })).status).toBe(200);
    const sessions = await sessionsOf(user.id);
    expect(sessions).toHaveLength(2);
    expect(sessions.every((s) => s.revoked_at === null)).toBe(true);
    expect(await countRows("audit_log", "actor_id = ? AND action = 'user.logged_in'", user.id)).toBe(1);
  });

  it("answers a wrong password and an unknown email with the same 401 problem, and starts no session", async () => {
    const client = makeClient();
    const user = await signUp(client);

    const wrongPassword = await client.call("POST", "/api/auth/login", { body: { email: user.email, password: "not the password" } });
    const unknownEmail = await client.call("POST", "/api/auth/login", { body: { email: uniqueEmail("ghost"), password: PASSWORD } });

    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    const a = await problemOf(wrongPassword);
    const b = await problemOf(unknownEmail);
    expect(a).toMatchObject({ type: "/problems/invalid-credentials", status: 401 });
    const { requestId: _a, ...comparableA } = a as typeof a & { requestId?: string };
    const { requestId: _b, ...comparableB } = b as typeof b & { requestId?: string };
    expect(comparableA).toEqual(comparableB);
    expect(wrongPassword.headers.getSetCookie()).toEqual([]);
    expect(unknownEmail.headers.getSetCookie()).toEqual([]);
    expect(await sessionsOf(user.id)).toHaveLength(1);
    expect(await countRows("audit_log", "actor_id = ? AND action = 'user.login_failed'", user.id)).toBe(1);
  });

  it("rotates the session: the cookie the browser had before signing in stops working", async () => {
    const client = makeClient();
    const user = await signUp(client);
    const [oldSession] = await sessionsOf(user.id);

    const response = await client.call("POST", "/api/auth/login", { cookie: user.cookie, body: { email: user.email, password: PASSWORD } });
    expect(response.status).toBe(200);
    const newCookie = sessionCookieFrom(response);

    expect((await client.call("GET", "/api/me", { cookie: user.cookie })).status).toBe(401);
    expect((await client.call("GET", "/api/me", { cookie: newCookie })).status).toBe(200);
    const sessions = await sessionsOf(user.id);
    expect(sessions).toHaveLength(2);
    expect(sessions.find((s) => s.id === oldSession?.id)?.revoked_at).toBe(client.clock.now);
    expect(sessions.filter((s) => s.revoked_at === null)).toHaveLength(1);
  });

  it.each([
    { label: "missing password", body: { email: "a@example.com" }, paths: ["password"] },
    { label: "a malformed email", body: { email: "nope", password: "x" }, paths: ["email"] },
    { label: "an unknown extra field", body: { email: "a@example.com", password: "x", remember: true }, paths: ["remember"] },
  ])("rejects $label with a 400 validation problem and writes nothing (not even a rate-limit hit)", async ({ body, paths }) => {
    const client = makeClient();
    const before = await tableCounts();
    const response = await client.call("POST", "/api/auth/login", { body });

    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.type).toBe("/problems/validation");
    expect(problem.errors?.map((e) => e.path)).toEqual(paths);
    expect(await tableCounts()).toEqual(before);
  });
});

describe("POST /api/auth/logout", () => {
  it("ends the session on the server at once: 204, the same cookie is refused, revoked_at is set", async () => {
    const client = makeClient();
    const user = await signUp(client);

    const response = await client.call("POST", "/api/auth/logout", { cookie: user.cookie });
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie().join("\n")).toMatch(/atelier_session=;.*Max-Age=0/);

    const me = await client.call("GET", "/api/me", { cookie: user.cookie });
    expect(me.status).toBe(401);
    expect(await problemOf(me)).toMatchObject({ type: "/problems/unauthenticated" });
    const sessions = await sessionsOf(user.id);
    expect(sessions).toEqual([expect.objectContaining({ revoked_at: client.clock.now })]);
    expect(await countRows("audit_log", "actor_id = ? AND action = 'user.logged_out'", user.id)).toBe(1);
  });

  it("without a session still answers 204 and writes nothing", async () => {
    const client = makeClient();
    const before = await tableCounts();
    const response = await client.call("POST", "/api/auth/logout");
    expect(response.status).toBe(204);
    expect(await tableCounts()).toEqual(before);
  });
});

describe("GET /api/me", () => {
  it("without a cookie answers a 401 problem", async () => {
    const client = makeClient();
    const response = await client.call("GET", "/api/me");
    expect(response.status).toBe(401);
    expect(response.headers.get("Content-Type")).toMatch(/^application\/problem\+json/);
    expect(await problemOf(response)).toMatchObject({ type: "/problems/unauthenticated", title: "Sign in required", status: 401 });
  });
});

describe("rate limits on signup and login", () => {
  it("refuses the 11th signup within a minute from one IP with 429 and Retry-After, then allows it in the next window", async () => {
    const clock = new TestClock();
    const client = makeClient(clock);
    for (let i = 0; i < 10; i++) await signUp(client);

    const email = uniqueEmail("eleventh");
    const refused = await client.call("POST", "/api/auth/signup", { body: { email, name: "Eleven", password: PASSWORD } });
    expect(refused.status).toBe(429);
    // The clock sits on a minute boundary, so the whole window remains.
    expect(refused.headers.get("Retry-After")).toBe("60");
    expect(await problemOf(refused)).toMatchObject({ type: "/problems/rate-limited", status: 429, detail: expect.stringContaining("60 seconds") });
    expect(await countRows("users", "email = ?", email)).toBe(0);

    clock.advance(60_000);
    const allowed = await client.call("POST", "/api/auth/signup", { body: { email, name: "Eleven", password: PASSWORD } });
    expect(allowed.status).toBe(201);
    expect(await countRows("users", "email = ?", email)).toBe(1);
  });

  it("refuses the 11th login within a minute from one IP, even with the right password", async () => {
    const clock = new TestClock();
    const client = makeClient(clock);
    const user = await signUp(makeClient(clock));
    for (let i = 0; i < 10; i++) {
      const response = await client.call("POST", "/api/auth/login", { body: { email: uniqueEmail("probe"), password: "guess" } });
      expect(response.status).toBe(401);
    }
    clock.advance(15_000);

    const refused = await client.call("POST", "/api/auth/login", { body: { email: user.email, password: PASSWORD } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("45");
    expect(await problemOf(refused)).toMatchObject({ type: "/problems/rate-limited" });
    expect(refused.headers.getSetCookie()).toEqual([]);
    expect(await sessionsOf(user.id)).toHaveLength(1);

    clock.advance(45_000);
    expect((await client.call("POST", "/api/auth/login", { body: { email: user.email, password: PASSWORD } })).status).toBe(200);
  });

  it("limits attempts per email across different IPs", async () => {
    const clock = new TestClock();
    const client = makeClient(clock);
    const user = await signUp(makeClient(clock));
    for (let i = 0; i < 10; i++) {
      const response = await client.call("POST", "/api/auth/login", { ip: `192.0.2.${i + 1}`, body: { email: user.email, password: "wrong guess" } });
      expect(response.status).toBe(401);
    }

    const refused = await client.call("POST", "/api/auth/login", { ip: "192.0.2.200", body: { email: user.email, password: PASSWORD } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("60");
    expect(await problemOf(refused)).toMatchObject({ type: "/problems/rate-limited" });
    expect(await sessionsOf(user.id)).toHaveLength(1);

    clock.advance(60_001);
    const allowed = await client.call("POST", "/api/auth/login", { ip: "192.0.2.201", body: { email: user.email, password: PASSWORD } });
    expect(allowed.status).toBe(200);
    expect(await sessionsOf(user.id)).toHaveLength(2);
  });
});

describe("cross-site request refusal", () => {
  it("refuses a mutating request with a foreign Origin before anything is written", async () => {
    const client = makeClient();
    const before = await tableCounts();
    const email = uniqueEmail("csrf");
    const response = await client.call("POST", "/api/auth/signup", { origin: "https://evil.example", body: { email, name: "Mallory", password: PASSWORD } });

    expect(response.status).toBe(403);
    expect(await problemOf(response)).toMatchObject({ type: "/problems/foreign-origin", status: 403 });
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await tableCounts()).toEqual(before);
  });

  it("refuses a signed-in user's cross-site logout, so the session survives", async () => {
    const client = makeClient();
    const user = await signUp(client);
    const response = await client.call("POST", "/api/auth/logout", { cookie: user.cookie, origin: "https://evil.example" });

    expect(response.status).toBe(403);
    expect(await problemOf(response)).toMatchObject({ type: "/problems/foreign-origin" });
    expect((await client.call("GET", "/api/me", { cookie: user.cookie })).status).toBe(200);
    expect(await sessionsOf(user.id)).toEqual([expect.objectContaining({ revoked_at: null })]);
  });

  it("refuses a request the browser marks Sec-Fetch-Site: cross-site even without an Origin", async () => {
    const client = makeClient();
    const before = await tableCounts();
    const response = await client.call("POST", "/api/auth/signup", {
      origin: null,
      headers: { "Sec-Fetch-Site": "cross-site" },
      body: { email: uniqueEmail("fetchsite"), name: "Mallory", password: PASSWORD },
    });

    expect(response.status).toBe(403);
    expect(await problemOf(response)).toMatchObject({ type: "/problems/foreign-origin" });
    expect(await tableCounts()).toEqual(before);
  });

  it("lets a non-browser client without Origin or Sec-Fetch-Site through", async () => {
    const client = makeClient();
    const email = uniqueEmail("cli");
    const response = await client.call("POST", "/api/auth/signup", { origin: null, body: { email, name: "Curl", password: PASSWORD } });
    expect(response.status).toBe(201);
    expect(await countRows("users", "email = ?", email)).toBe(1);
  });
});

describe("unknown routes and errors", () => {
  it("answers an unknown /api path with a 404 problem naming it", async () => {
    const client = makeClient();
    const response = await client.call("GET", "/api/nothing-here");
    expect(response.status).toBe(404);
    expect(await problemOf(response)).toMatchObject({ type: "/problems/not-found", status: 404, detail: "There is nothing at GET /api/nothing-here." });
    expect(response.headers.get("X-Request-Id")).toBeTruthy();
  });
});

describe("unexpected errors", () => {
  it("render as a 500 problem with a request id and no internals, and are logged under that id", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const client = makeClient();
    const user = await signUp(client);
    // A deployment without a usable SESSION_SECRET: reading the session throws a plain Error.
    const misconfigured = { ...env, SESSION_SECRET: "too-short" };
    const ctx = createExecutionContext();
    const response = await client.app.request("http://atelier.test/api/me", { headers: { Cookie: user.cookie } }, misconfigured, ctx);
    await waitOnExecutionContext(ctx);

    expect(response.status).toBe(500);
    const requestId = response.headers.get("X-Request-Id");
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      type: "/problems/internal",
      title: "Something went wrong on our side",
      status: 500,
      detail: `An unexpected error occurred. If it keeps happening, report request id ${requestId}.`,
      instance: "/api/me",
      requestId,
    });
    expect(text).not.toMatch(/SESSION_SECRET|misconfigured|at \w+ \(|\.ts:\d+/);
    expect(logged).toHaveBeenCalledWith(expect.stringContaining(`"requestId":"${requestId}"`));
    logged.mockRestore();
  });
});

import { describe, expect, it } from "vitest";
import { lastCallId, SANDBOX } from "../helpers/connect";
import { adapterContext, addFault, authorizeAndConsent, codeOf, connectGrant, expectFailure, expectSentence } from "../helpers/oauth-flow";
import { airtableAdapter as adapter, listAirtableBases } from "../../worker/platforms/airtable";
import { classifyAirtableError } from "../../worker/platforms/airtable-errors";
import type { HttpResult } from "../../worker/platforms/http";
import type { Grant } from "../../worker/platforms/types";

const USER_ID = "usrSbxSamSandbox1";
const CONTENT = { id: "appSbxContentCal1", name: "Content Calendar", permissionLevel: "create" };
const ASSETS = { id: "appSbxBrandAsset1", name: "Brand Assets", permissionLevel: "read" };

type Call = { method: string; host: string; path: string; query: string; status: number };
async function airtableCallsSince(since: number): Promise<Call[]> {
  return ((await (await fetch(`${SANDBOX}/_sandbox/calls?platform=airtable&since=${since}`)).json()) as { calls: Call[] }).calls;
}

/** Who-am-I with a token, straight at the sandbox's api.airtable.com. */
async function whoami(accessToken: string): Promise<number> {
  const response = await fetch(`${SANDBOX}/api.airtable.com/v0/meta/whoami`, { headers: { authorization: `Bearer ${accessToken}` } });
  await response.body?.cancel();
  return response.status;
}

function basesOf(grant: Grant): unknown {
  return JSON.parse(grant.channels[0]?.metadata.bases ?? "null");
}

describe("Airtable connect", () => {
  it("asks for the documented scopes with a PKCE S256 challenge, on the real host", () => {
    const url = new URL(adapter.authorizeUrl(adapterContext(adapter), { state: "s1", codeChallenge: "challenge-abc" }));
    expect(url.pathname).toBe("/airtable.com/oauth2/v1/authorize");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: "sandbox-airtable-client",
      redirect_uri: "http://atelier.test/oauth/airtable/callback",
      response_type: "code",
      scope: "data.records:read schema.bases:read user.email:read",
      state: "s1",
      code_challenge: "challenge-abc",
      code_challenge_method: "S256",
    });
  });

  it("connects one account channel listing every shared base, following the offset pages", async () => {
    const ctx = adapterContext(adapter);
    const since = await lastCallId();
    const grant = await connectGrant(adapter, ctx);
    expect(grant.account).toEqual({ id: USER_ID, name: "sam@sandbox.test" });
    expect(grant.grantedScopes).toEqual(["data.records:read", "schema.bases:read", "user.email:read"]);
    expect(grant.tokens.accessToken).toMatch(/^sbx_/);
    expect(grant.tokens.refreshToken).toMatch(/^sbx_/);
    expect(grant.tokens.expiresAt).toBe(ctx.now + 3600 * 1000);
    expect(grant.tokens.refreshExpiresAt).toBe(ctx.now + 60 * 24 * 3600 * 1000);
    expect(grant.channels).toHaveLength(1);
    expect(grant.channels[0]).toMatchObject({ externalId: USER_ID, kind: "airtable_account", name: "sam@sandbox.test", handle: null, avatarUrl: null, tokens: grant.tokens });
    expect(grant.channels[0]?.metadata).toMatchObject({ userId: USER_ID, email: "sam@sandbox.test" });
    expect(basesOf(grant)).toEqual([CONTENT, ASSETS]);

    const calls = (await airtableCallsSince(since)).filter((c) => c.host === "api.airtable.com");
    expect(calls.map((c) => c.path)).toEqual(["/v0/meta/whoami", "/v0/meta/bases", "/v0/meta/bases"]);
    expect(calls[2]?.query).toBe(`?offset=${encodeURIComponent(`itrSbx1/${CONTENT.id}`)}`);
  });

  it("lists only the bases the person shared during consent", async () => {
    const grant = await connectGrant(adapter, adapterContext(adapter), { assets: [ASSETS.id] });
    expect(basesOf(grant)).toEqual([ASSETS]);
  });

  it("reports unticked scopes by leaving them out, and falls back to the user id for a name", async () => {
    const grant = await connectGrant(adapter, adapterContext(adapter), { scopes: ["data.records:read"] });
    expect(grant.grantedScopes).toEqual(["data.records:read"]);
    expect(grant.account.name).toBe(`Airtable user ${USER_ID}`);
    expect(grant.channels[0]?.metadata).toEqual({ userId: USER_ID });
  });
});

describe("Airtable consent and code exchange failures", () => {
  it("sends access_denied with a description and the state back when the person declines", async () => {
    const consented = await authorizeAndConsent(adapter, adapterContext(adapter), { decision: "deny" });
    expect(consented.params.get("error")).toBe("access_denied");
    expect(consented.params.get("error_description")).toBeTruthy();
    expect(consented.params.get("state")).toBe(consented.state);
    expect(consented.params.has("code")).toBe(false);
  });

  it("refuses an authorization request without PKCE (the sandbox enforces Airtable's rule)", async () => {
    const url = new URL(adapter.authorizeUrl(adapterContext(adapter), { state: "s-no-pkce", codeChallenge: null }));
    url.searchParams.set("sandbox_auto", "approve");
    const response = await fetch(url, { redirect: "manual" });
    const back = new URL(response.headers.get("location") ?? "http://missing.test");
    expect(response.status).toBe(302);
    expect(back.searchParams.get("error")).toBe("invalid_request");
    expect(back.searchParams.get("state")).toBe("s-no-pkce");
  });

  it("refuses a code used twice", async () => {
    const ctx = adapterContext(adapter);
    const consented = await authorizeAndConsent(adapter, ctx);
    const request = { code: codeOf(consented), codeVerifier: consented.codeVerifier };
    expect((await adapter.exchangeCode(ctx, request)).ok).toBe(true);
    expect(expectFailure(await adapter.exchangeCode(ctx, request), "reauth").platformCode).toBe("invalid_grant");
  });

  it("refuses a redirect URI that differs from the authorize step's", async () => {
    const ctx = adapterContext(adapter);
    const consented = await authorizeAndConsent(adapter, ctx);
    const other = adapterContext(adapter, { redirectUri: "http://atelier.test/oauth/airtable/other" });
    const failure = expectFailure(await adapter.exchangeCode(other, { code: codeOf(consented), codeVerifier: consented.codeVerifier }), "reauth");
    expect(failure.message).toContain("redirect_uri does not match");
  });

  it("refuses a PKCE verifier that does not match the challenge", async () => {
    const ctx = adapterContext(adapter);
    const consented = await authorizeAndConsent(adapter, ctx);
    const failure = expectFailure(await adapter.exchangeCode(ctx, { code: codeOf(consented), codeVerifier: "y".repeat(43) }), "reauth");
    expect(failure.message).toContain("code_verifier does not match");
  });

  it("names the credentials when the client secret is wrong (HTTP Basic)", async () => {
    const ctx = adapterContext(adapter);
    const consented = await authorizeAndConsent(adapter, ctx);
    const wrong = adapterContext(adapter, { credentials: { ...ctx.credentials, clientSecret: "not-the-secret" } });
    const failure = expectFailure(await adapter.exchangeCode(wrong, { code: codeOf(consented), codeVerifier: consented.codeVerifier }), "fatal");
    expect(failure).toMatchObject({ status: 401, platformCode: "invalid_client" });
    expect(failure.message).toContain("AIRTABLE_CLIENT_SECRET");
  });

  it("is refused without Basic authentication when the integration has a secret", async () => {
    const ctx = adapterContext(adapter);
    const consented = await authorizeAndConsent(adapter, ctx);
    const noSecret = adapterContext(adapter, { credentials: { ...ctx.credentials, clientSecret: "" } });
    expect(expectFailure(await adapter.exchangeCode(noSecret, { code: codeOf(consented), codeVerifier: consented.codeVerifier }), "fatal").platformCode).toBe("invalid_client");
  });

  it.each([
    { status: 502, body: { error: { type: "SERVICE_UNAVAILABLE", message: "Service unavailable." } }, kind: "retry" as const, retryAfterSeconds: undefined, headers: undefined },
    { status: 429, body: { error: { type: "RATE_LIMIT_REACHED", message: "Rate limit exceeded." } }, kind: "retry" as const, retryAfterSeconds: 30, headers: undefined },
    { status: 429, body: { error: { type: "RATE_LIMIT_REACHED" } }, kind: "retry" as const, retryAfterSeconds: 45, headers: { "retry-after": "45" } },
    { status: 400, body: { error: "invalid_request", error_description: "grant_type is missing." }, kind: "fatal" as const, retryAfterSeconds: undefined, headers: undefined },
  ])("classifies a token endpoint $status as $kind (retry after $retryAfterSeconds s), and the unused code still works", async ({ status, body, kind, retryAfterSeconds, headers }) => {
    const ctx = adapterContext(adapter);
    const consented = await authorizeAndConsent(adapter, ctx);
    const request = { code: codeOf(consented), codeVerifier: consented.codeVerifier };
    await addFault({ platform: "airtable", method: "POST", path: "/oauth2/v1/token", status, body, ...(headers ? { headers } : {}) });
    const failure = expectFailure(await adapter.exchangeCode(ctx, request), kind);
    expect(failure.status).toBe(status);
    expect(failure.retryAfterSeconds).toBe(retryAfterSeconds);
    expect((await adapter.exchangeCode(ctx, request)).ok).toBe(true);
  });

  it.each([
    { path: "/v0/meta/bases", status: 429, body: { error: { type: "RATE_LIMIT_REACHED", message: "Rate limit exceeded. Please try again later." } }, kind: "retry" as const, code: "RATE_LIMIT_REACHED" },
    { path: "/v0/meta/bases", status: 429, body: { error: { type: "PUBLIC_API_BILLING_LIMIT_EXCEEDED", message: "Monthly API call limit reached." } }, kind: "fatal" as const, code: "PUBLIC_API_BILLING_LIMIT_EXCEEDED" },
    { path: "/v0/meta/whoami", status: 404, body: { error: "NOT_FOUND" }, kind: "fatal" as const, code: "NOT_FOUND" },
  ])("fails the connection on a $status $code from $path", async ({ path, status, body, kind, code }) => {
    const ctx = adapterContext(adapter);
    const consented = await authorizeAndConsent(adapter, ctx);
    await addFault({ platform: "airtable", method: "GET", path, status, body });
    const failure = expectFailure(await adapter.exchangeCode(ctx, { code: codeOf(consented), codeVerifier: consented.codeVerifier }), kind);
    expect(failure).toMatchObject({ status, platformCode: code });
  });
});

describe("Airtable refresh and revoke", () => {
  it("rotates the refresh token; presenting a spent one again locks the whole grant out", async () => {
    const ctx = adapterContext(adapter);
    const grant = await connectGrant(adapter, ctx);
    const first = await adapter.refresh(ctx, grant.tokens);
    if (!first.ok) throw new Error(first.failure.message);
    expect(first.value.refreshToken).toMatch(/^sbx_/);
    expect(first.value.refreshToken).not.toBe(grant.tokens.refreshToken);
    expect(first.value.accessToken).not.toBe(grant.tokens.accessToken);
    expect(await whoami(first.value.accessToken)).toBe(200);

    const reused = expectFailure(await adapter.refresh(ctx, grant.tokens), "reauth");
    expect(reused.platformCode).toBe("invalid_grant");
    expect(reused.message).toContain("already been used");
    // The lock-out revoked the grant: the newest refresh token and access token are dead too.
    expectFailure(await adapter.refresh(ctx, first.value), "reauth");
    expect(await whoami(first.value.accessToken)).toBe(401);
    expectFailure(await listAirtableBases(ctx, first.value.accessToken), "refresh");
  });

  it("renews an expired access token, after which the bases list again", async () => {
    const ctx = adapterContext(adapter);
    const grant = await connectGrant(adapter, ctx);
    await fetch(`${SANDBOX}/_sandbox/tokens/expire`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: grant.tokens.accessToken }) });
    expect(expectFailure(await listAirtableBases(ctx, grant.tokens.accessToken), "refresh").platformCode).toBe("AUTHENTICATION_REQUIRED");
    const refreshed = await adapter.refresh(ctx, grant.tokens);
    if (!refreshed.ok) throw new Error(refreshed.failure.message);
    const bases = await listAirtableBases(ctx, refreshed.value.accessToken);
    expect(bases.ok && bases.value.map((b) => b.id)).toEqual([CONTENT.id, ASSETS.id]);
  });

  it("disconnects without a platform call (Airtable documents no revocation endpoint)", async () => {
    const ctx = adapterContext(adapter);
    const grant = await connectGrant(adapter, ctx);
    const since = await lastCallId();
    expect(await adapter.revoke(ctx, grant.tokens)).toEqual({ ok: true, value: null });
    expect(await airtableCallsSince(since)).toEqual([]);
  });

  it("asks for a reconnect once the person removed the integration in Airtable", async () => {
    const ctx = adapterContext(adapter);
    const grant = await connectGrant(adapter, ctx);
    await fetch(`${SANDBOX}/_sandbox/tokens/revoke`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: grant.tokens.accessToken }) });
    expectFailure(await listAirtableBases(ctx, grant.tokens.accessToken), "refresh");
    expect(expectFailure(await adapter.refresh(ctx, grant.tokens), "reauth").message).toContain("Connect the account again.");
  });
});

describe("Airtable error classification", () => {
  const result = (status: number, json: unknown, headers: Record<string, string> = {}): HttpResult => ({ status, headers: new Headers(headers), text: JSON.stringify(json), json });

  it.each([
    { name: "RATE_LIMIT_REACHED", r: result(429, { error: { type: "RATE_LIMIT_REACHED", message: "Rate limit exceeded." } }), kind: "retry", retry: 30 },
    { name: "a 429 with a longer Retry-After", r: result(429, { error: { type: "RATE_LIMIT_REACHED" } }, { "retry-after": "60" }), kind: "retry", retry: 60 },
    { name: "PUBLIC_API_BILLING_LIMIT_EXCEEDED", r: result(429, { error: { type: "PUBLIC_API_BILLING_LIMIT_EXCEEDED" } }), kind: "fatal", retry: undefined },
    { name: "AUTHENTICATION_REQUIRED", r: result(401, { error: { type: "AUTHENTICATION_REQUIRED", message: "Authentication required" } }), kind: "refresh", retry: undefined },
    { name: "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND", r: result(403, { error: { type: "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND", message: "Invalid permissions, or the requested model was not found." } }), kind: "reauth", retry: undefined },
    { name: "the string NOT_FOUND", r: result(404, { error: "NOT_FOUND" }), kind: "fatal", retry: undefined },
    { name: "an expired iterator", r: result(422, { error: { type: "LIST_RECORDS_ITERATOR_NOT_AVAILABLE" } }), kind: "retry", retry: undefined },
    { name: "INVALID_FILTER_BY_FORMULA", r: result(422, { error: { type: "INVALID_FILTER_BY_FORMULA", message: "The formula for filtering records is invalid." } }), kind: "fatal", retry: undefined },
    { name: "SERVER_ERROR", r: result(500, { error: { type: "SERVER_ERROR" } }), kind: "retry", retry: undefined },
  ])("classifies $name as $kind with a sentence", ({ r, kind, retry }) => {
    const failure = classifyAirtableError(r);
    expect(failure.kind).toBe(kind);
    expect(failure.retryAfterSeconds).toBe(retry);
    expectSentence(failure.message);
  });
});

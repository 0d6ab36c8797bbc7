import { describe, expect, it } from "vitest";
import { SAM_TIKTOK } from "../../sandbox/platforms/tiktok";
import { newPkce } from "../../worker/platforms/oauth";
import { adapterFor } from "../../worker/platforms/registry";
import { tiktokAdapter as adapter } from "../../worker/platforms/tiktok";
import { lastCallId, SANDBOX, sandboxCalls } from "../helpers/connect";
import { adapterContext, addFault, authorizeAndConsent, codeOf, connectGrant, expectFailure, expectSentence } from "../helpers/oauth-flow";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const ALL_SCOPES = ["user.info.basic", "user.info.profile", "user.info.stats", "video.list", "video.upload", "video.publish"];

/** Calls TikTok's user info with an access token, as publishing code later will. */
async function userInfo(accessToken: string): Promise<{ status: number; body: { data: unknown; error: { code: string; message: string; log_id: string } } }> {
  const response = await fetch(`${SANDBOX}/open.tiktokapis.com/v2/user/info/?fields=open_id,display_name`, { headers: { authorization: `Bearer ${accessToken}` } });
  return { status: response.status, body: (await response.json()) as never };
}

async function approvedCode(ctx = adapterContext(adapter), extra: Record<string, string> = {}): Promise<string> {
  return codeOf(await authorizeAndConsent(adapter, ctx, {}, extra));
}

describe("TikTok connection adapter", () => {
  it("is registered and builds Login Kit v2's authorize URL with comma-separated scopes and no PKCE", () => {
    expect(adapterFor("tiktok")).toBe(adapter);
    expect(adapter.pkce).toBe(false);
    const ctx = adapterContext(adapter);
    const url = new URL(adapter.authorizeUrl(ctx, { state: "st-1", codeChallenge: null }));
    expect(`${url.origin}${url.pathname}`).toBe(`${SANDBOX}/www.tiktok.com/v2/auth/authorize/`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_key: ctx.credentials.clientId,
      response_type: "code",
      scope: ALL_SCOPES.join(","),
      redirect_uri: "http://atelier.test/oauth/tiktok/callback",
      state: "st-1",
    });
  });

  it("connects Sam's creator account with every granted scope, string open_id and 2-hour tokens", async () => {
    const ctx = adapterContext(adapter);
    const grant = await connectGrant(adapter, ctx);
    expect(grant.account).toEqual({ id: SAM_TIKTOK.id, name: "Sam Sandbox" });
    expect(grant.grantedScopes).toEqual(ALL_SCOPES);
    expect(grant.channels).toEqual([
      { externalId: SAM_TIKTOK.id, kind: "tiktok_account", name: "Sam Sandbox", handle: "samsandbox", avatarUrl: SAM_TIKTOK.picture, tokens: grant.tokens, metadata: { openId: SAM_TIKTOK.id } },
    ]);
    expect(typeof grant.channels[0]?.externalId).toBe("string");
    expect(grant.tokens.accessToken).toMatch(/^sbx_/);
    expect(grant.tokens.refreshToken).toMatch(/^sbx_/);
    expect(grant.tokens.expiresAt).toBe(ctx.now + 2 * HOUR);
    expect(grant.tokens.refreshExpiresAt).toBe(ctx.now + 180 * DAY);
    expect((await userInfo(grant.tokens.accessToken)).status).toBe(200);
  });

  it("reports unticked scopes as not granted and leaves out the username without user.info.profile", async () => {
    const grant = await connectGrant(adapter, adapterContext(adapter), { scopes: ["user.info.basic", "video.upload"] });
    expect(grant.grantedScopes).toEqual(["user.info.basic", "video.upload"]);
    expect(grant.grantedScopes).not.toContain("video.publish");
    expect(grant.channels[0]).toMatchObject({ externalId: SAM_TIKTOK.id, handle: null, name: "Sam Sandbox" });
  });

  it("names no channel, and asks TikTok for nothing more, when user.info.basic was unticked", async () => {
    const ctx = adapterContext(adapter);
    const consented = await authorizeAndConsent(adapter, ctx, { scopes: ["video.publish"] });
    const since = await lastCallId();
    const grant = await adapter.exchangeCode(ctx, { code: codeOf(consented), codeVerifier: null });
    if (!grant.ok) throw new Error(grant.failure.message);
    expect(grant.value).toMatchObject({ account: { id: SAM_TIKTOK.id }, grantedScopes: ["video.publish"], channels: [] });
    expect((await sandboxCalls("tiktok", since)).map((c) => c.path)).toEqual(["/v2/oauth/token/"]);
  });

  it("asks to reconnect when user info says a scope is missing", async () => {
    const code = await approvedCode();
    await addFault({ platform: "tiktok", method: "GET", path: "/v2/user/info/", status: 401, body: { data: {}, error: { code: "scope_not_authorized", message: "The user did not authorize the scope required for completing this request.", log_id: "20261129000000ABCDEF05" } } });
    const failure = expectFailure(await adapter.exchangeCode(adapterContext(adapter), { code, codeVerifier: null }), "reauth");
    expect(failure.platformCode).toBe("scope_not_authorized");
  });

  it("returns TikTok's access_denied error params when the person denies", async () => {
    const consented = await authorizeAndConsent(adapter, adapterContext(adapter), { decision: "deny" });
    expect(consented.params.get("code")).toBeNull();
    expect(consented.params.get("error")).toBe("access_denied");
    expectSentence(consented.params.get("error_description") ?? "");
    expect(consented.params.get("state")).toBe(consented.state);
  });

  it("refuses a code used twice", async () => {
    const ctx = adapterContext(adapter);
    const code = await approvedCode(ctx);
    expect((await adapter.exchangeCode(ctx, { code, codeVerifier: null })).ok).toBe(true);
    const failure = expectFailure(await adapter.exchangeCode(ctx, { code, codeVerifier: null }), "reauth");
    expect(failure).toMatchObject({ status: 400, platformCode: "invalid_grant" });
    expect(failure.message).toContain("already been used");
  });

  it("refuses a code redeemed with another redirect URI than the authorize step's", async () => {
    const code = await approvedCode();
    const other = adapterContext(adapter, { redirectUri: "http://atelier.test/oauth/tiktok/elsewhere" });
    const failure = expectFailure(await adapter.exchangeCode(other, { code, codeVerifier: null }), "fatal");
    expect(failure.platformCode).toBe("invalid_request");
    expect(failure.message).toContain("redirect_uri");
  });

  it("enforces PKCE in the sandbox when an authorize step did send a challenge", async () => {
    const ctx = adapterContext(adapter);
    const pkce = await newPkce();
    const challenge = { code_challenge: pkce.challenge, code_challenge_method: "S256" };
    const wrong = await approvedCode(ctx, challenge);
    const failure = expectFailure(await adapter.exchangeCode(ctx, { code: wrong, codeVerifier: (await newPkce()).verifier }), "reauth");
    expect(failure.message).toContain("code_verifier");
    const right = await approvedCode(ctx, challenge);
    expect((await adapter.exchangeCode(ctx, { code: right, codeVerifier: pkce.verifier })).ok).toBe(true);
  });

  it("fails fatally, naming the credentials, when the client secret is wrong", async () => {
    const code = await approvedCode();
    const ctx = adapterContext(adapter, { credentials: { clientId: adapterContext(adapter).credentials.clientId, clientSecret: "not-the-secret" } });
    const failure = expectFailure(await adapter.exchangeCode(ctx, { code, codeVerifier: null }), "fatal");
    expect(failure.platformCode).toBe("invalid_client");
    expect(failure.message).toMatch(/client id and secret/);
  });

  describe("token endpoint faults", () => {
    const tokenFault = (status: number, body: unknown, headers?: Record<string, string>) => addFault({ platform: "tiktok", method: "POST", path: "/v2/oauth/token/", status, body, headers });

    it("treats a 5xx as retryable", async () => {
      const code = await approvedCode();
      await tokenFault(503, { error: "server_error", error_description: "Service unavailable.", log_id: "20261129000000ABCDEF01" });
      expect(expectFailure(await adapter.exchangeCode(adapterContext(adapter), { code, codeVerifier: null }), "retry").status).toBe(503);
    });

    it("treats a 429 as retryable and keeps Retry-After", async () => {
      const code = await approvedCode();
      await tokenFault(429, { error: "rate_limit_exceeded", error_description: "Too many requests.", log_id: "20261129000000ABCDEF02" }, { "retry-after": "30" });
      expect(expectFailure(await adapter.exchangeCode(adapterContext(adapter), { code, codeVerifier: null }), "retry").retryAfterSeconds).toBe(30);
    });

    it("reads an OAuth error envelope even when it comes with HTTP 200", async () => {
      const code = await approvedCode();
      await tokenFault(200, { error: "invalid_grant", error_description: "Authorization code is expired.", log_id: "20261129000000ABCDEF03" });
      const failure = expectFailure(await adapter.exchangeCode(adapterContext(adapter), { code, codeVerifier: null }), "reauth");
      expect(failure.message).toContain("Authorization code is expired.");
    });

    it("classifies an API error envelope from user info (rate limit → retry)", async () => {
      const code = await approvedCode();
      await addFault({ platform: "tiktok", method: "GET", path: "/v2/user/info/", status: 429, body: { data: {}, error: { code: "rate_limit_exceeded", message: "Rate limit exceeded.", log_id: "20261129000000ABCDEF04" } } });
      const failure = expectFailure(await adapter.exchangeCode(adapterContext(adapter), { code, codeVerifier: null }), "retry");
      expect(failure.platformCode).toBe("rate_limit_exceeded");
    });
  });

  it("rotates refresh tokens, and presenting a rotated-out one locks the whole grant out", async () => {
    const ctx = adapterContext(adapter);
    const first = (await connectGrant(adapter, ctx)).tokens;
    const later = { ...ctx, now: ctx.now + 90 * 60 * 1000 };

    const second = await adapter.refresh(later, first);
    if (!second.ok) throw new Error(second.failure.message);
    expect(second.value.refreshToken).not.toBe(first.refreshToken);
    expect(second.value.accessToken).not.toBe(first.accessToken);
    expect(second.value.expiresAt).toBe(later.now + 2 * HOUR);
    expect((await userInfo(second.value.accessToken)).status).toBe(200);

    const third = await adapter.refresh(later, second.value);
    if (!third.ok) throw new Error(third.failure.message);
    const current = third.value;

    const reused = expectFailure(await adapter.refresh(later, first), "reauth");
    expect(reused.platformCode).toBe("invalid_grant");
    expectFailure(await adapter.refresh(later, current), "reauth");
    const refused = await userInfo(current.accessToken);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe("access_token_invalid");
  });

  it("revokes the grant: the call is logged and both tokens are refused afterwards", async () => {
    const ctx = adapterContext(adapter);
    const tokens = (await connectGrant(adapter, ctx)).tokens;
    const since = await lastCallId();
    expect(await adapter.revoke(ctx, tokens)).toEqual({ ok: true, value: null });
    const calls = (await sandboxCalls("tiktok", since)).filter((c) => c.path === "/v2/oauth/revoke/");
    expect(calls).toEqual([expect.objectContaining({ method: "POST", status: 200 })]);
    expect((await userInfo(tokens.accessToken)).status).toBe(401);
    expectFailure(await adapter.refresh(ctx, tokens), "reauth");
    expect(await adapter.revoke(ctx, tokens)).toEqual({ ok: true, value: null });
  });
});

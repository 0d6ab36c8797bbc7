import { describe, expect, it } from "vitest";
import { lastCallId, SANDBOX } from "../helpers/connect";
import { adapterContext, addFault, authorizeAndConsent, codeOf, connectGrant, expectFailure, expectSentence } from "../helpers/oauth-flow";
import type { HttpResult } from "../../worker/platforms/http";
import { newPkce } from "../../worker/platforms/oauth";
import type { TokenSet } from "../../worker/platforms/types";
import { youtubeAdapter as adapter, youtubeChannels, YOUTUBE_SCOPES } from "../../worker/platforms/youtube";
import { classifyYoutubeError, secondsUntilPacificMidnight } from "../../worker/platforms/youtube-errors";

const PERSONAL = "UCsbxSamSandboxPersonal1";
const BRAND = "UCsbxSamsKitchenBrand001";
const scope = (name: string) => `https://www.googleapis.com/auth/${name}`;

type Call = { method: string; host: string; path: string; query: string; status: number };
async function googleCallsSince(since: number): Promise<Call[]> {
  return ((await (await fetch(`${SANDBOX}/_sandbox/calls?platform=google&since=${since}`)).json()) as { calls: Call[] }).calls;
}

async function sandboxTokens(action: "expire" | "revoke", token: string): Promise<void> {
  const response = await fetch(`${SANDBOX}/_sandbox/tokens/${action}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token }) });
  expect(response.status).toBe(200);
}

describe("YouTube connect", () => {
  it("asks Google for offline access with PKCE and every YouTube scope, on the real host", () => {
    const url = new URL(adapter.authorizeUrl(adapterContext(adapter), { state: "s1", codeChallenge: "challenge-abc" }));
    expect(url.origin).toBe(SANDBOX);
    expect(url.pathname).toBe("/accounts.google.com/o/oauth2/v2/auth");
    const q = url.searchParams;
    expect(Object.fromEntries(q)).toMatchObject({
      client_id: "sandbox-1.apps.googleusercontent.com",
      redirect_uri: "http://atelier.test/oauth/youtube/callback",
      response_type: "code",
      access_type: "offline",
      prompt: "consent",
      include_granted_scopes: "true",
      state: "s1",
      code_challenge: "challenge-abc",
      code_challenge_method: "S256",
    });
    expect(q.get("scope")?.split(" ")).toEqual(["youtube.upload", "youtube", "youtube.readonly", "youtube.force-ssl"].map(scope));
  });

  it("connects the channel identity chosen on consent (the personal channel by default) with its handle, thumbnail and playlist", async () => {
    const ctx = adapterContext(adapter);
    const grant = await connectGrant(adapter, ctx);
    expect(grant.account).toEqual({ id: PERSONAL, name: "Sam Sandbox" });
    expect(grant.grantedScopes).toEqual(YOUTUBE_SCOPES.map((s) => s.scope));
    expect(grant.tokens.accessToken).toMatch(/^sbx_/);
    expect(grant.tokens.refreshToken).toMatch(/^sbx_/);
    expect(grant.tokens.expiresAt).toBe(ctx.now + 3599 * 1000);
    expect(grant.channels).toHaveLength(1);
    expect(grant.channels[0]).toMatchObject({
      externalId: PERSONAL,
      kind: "youtube_channel",
      name: "Sam Sandbox",
      handle: "samsandbox",
      metadata: { channelId: PERSONAL, uploadsPlaylistId: "UUsbxSamSandboxPersonal1" },
      tokens: grant.tokens,
    });
    expect(grant.channels[0]?.avatarUrl).toMatch(/^data:image\/svg\+xml;base64,/);
  });

  it("connects the Brand Account's channel when that identity is chosen", async () => {
    const grant = await connectGrant(adapter, adapterContext(adapter), { assets: [BRAND] });
    expect(grant.account).toEqual({ id: BRAND, name: "Sam's Kitchen" });
    expect(grant.channels.map((c) => [c.externalId, c.handle, c.metadata.uploadsPlaylistId])).toEqual([[BRAND, "samskitchen", "UUsbxSamsKitchenBrand001"]]);
  });

  it("offers both channels on the consent page, and a person's posted choice becomes the identity", async () => {
    const ctx = adapterContext(adapter);
    const pkce = await newPkce();
    const url = adapter.authorizeUrl(ctx, { state: "page-state", codeChallenge: pkce.challenge });
    const page = await (await fetch(url)).text();
    expect(page).toContain("Sam Sandbox");
    expect(page).toContain("Sam&#39;s Kitchen");
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1]?.replaceAll("&#38;", "&") ?? "";
    const form = new URLSearchParams([["decision", "approve"], ...YOUTUBE_SCOPES.map((s) => ["scope", s.scope]), ["asset", BRAND]]);
    const response = await fetch(`${SANDBOX}${action}`, { method: "POST", body: form, redirect: "manual" });
    const back = new URL(response.headers.get("location") ?? "http://missing.test");
    expect(back.searchParams.get("state")).toBe("page-state");
    const grant = await adapter.exchangeCode(ctx, { code: back.searchParams.get("code") ?? "", codeVerifier: pkce.verifier });
    expect(grant.ok && grant.value.channels.map((c) => c.name)).toEqual(["Sam's Kitchen"]);
  });

  it("fails with a clear sentence when the Google account has no YouTube channel", async () => {
    const ctx = adapterContext(adapter);
    const consented = await authorizeAndConsent(adapter, ctx, { assets: [] });
    const failure = expectFailure(await adapter.exchangeCode(ctx, { code: codeOf(consented), codeVerifier: consented.codeVerifier }), "reauth");
    expect(failure.platformCode).toBe("youtubeSignupRequired");
    expect(failure.message).toContain("has no YouTube channel");
  });

  it("reports an unticked scope by leaving it out of grantedScopes", async () => {
    const grant = await connectGrant(adapter, adapterContext(adapter), { scopes: [scope("youtube.upload"), scope("youtube.readonly")] });
    expect(grant.grantedScopes).toEqual([scope("youtube.upload"), scope("youtube.readonly")]);
    expect(grant.channels).toHaveLength(1);
  });

  it("asks the person to reconnect when no granted scope can read the channel", async () => {
    const ctx = adapterContext(adapter);
    const consented = await authorizeAndConsent(adapter, ctx, { scopes: [scope("youtube.upload")] });
    const failure = expectFailure(await adapter.exchangeCode(ctx, { code: codeOf(consented), codeVerifier: consented.codeVerifier }), "reauth");
    expect(failure).toMatchObject({ status: 403, platformCode: "insufficientPermissions" });
  });
});

describe("YouTube consent and code exchange failures", () => {
  it("sends Google's access_denied and the state back when the person declines", async () => {
    const consented = await authorizeAndConsent(adapter, adapterContext(adapter), { decision: "deny" });
    expect(Object.fromEntries(consented.params)).toEqual({ error: "access_denied", state: consented.state });
  });

  it("refuses a code used twice", async () => {
    const ctx = adapterContext(adapter);
    const consented = await authorizeAndConsent(adapter, ctx);
    const request = { code: codeOf(consented), codeVerifier: consented.codeVerifier };
    expect((await adapter.exchangeCode(ctx, request)).ok).toBe(true);
    expect(expectFailure(await adapter.exchangeCode(ctx, request), "reauth").platformCode).toBe("invalid_grant");
  });

  it("refuses a redirect URI that differs from the authorize step's, naming the URI", async () => {
    const ctx = adapterContext(adapter);
    const consented = await authorizeAndConsent(adapter, ctx);
    const other = adapterContext(adapter, { redirectUri: "http://atelier.test/oauth/youtube/other" });
    const failure = expectFailure(await adapter.exchangeCode(other, { code: codeOf(consented), codeVerifier: consented.codeVerifier }), "fatal");
    expect(failure.platformCode).toBe("redirect_uri_mismatch");
    expect(failure.message).toContain("http://atelier.test/oauth/youtube/other");
  });

  it("refuses a PKCE verifier that does not match the challenge", async () => {
    const ctx = adapterContext(adapter);
    const consented = await authorizeAndConsent(adapter, ctx);
    const failure = expectFailure(await adapter.exchangeCode(ctx, { code: codeOf(consented), codeVerifier: "x".repeat(43) }), "reauth");
    expect(failure.message).toContain("Invalid code verifier.");
  });

  it("names the credentials when the client secret is wrong", async () => {
    const ctx = adapterContext(adapter);
    const consented = await authorizeAndConsent(adapter, ctx);
    const wrong = adapterContext(adapter, { credentials: { ...ctx.credentials, clientSecret: "not-the-secret" } });
    const failure = expectFailure(await adapter.exchangeCode(wrong, { code: codeOf(consented), codeVerifier: consented.codeVerifier }), "fatal");
    expect(failure).toMatchObject({ status: 401, platformCode: "invalid_client" });
    expect(failure.message).toContain("GOOGLE_CLIENT_SECRET");
  });

  it("gets no refresh token without offline access, and says the connection cannot last", async () => {
    const ctx = adapterContext(adapter);
    const consented = await authorizeAndConsent(adapter, ctx, {}, { access_type: "online" });
    const failure = expectFailure(await adapter.exchangeCode(ctx, { code: codeOf(consented), codeVerifier: consented.codeVerifier }), "reauth");
    expect(failure.message).toContain("did not return a refresh token");
  });

  it("gets no refresh token on a repeat consent without prompt=consent", async () => {
    const ctx = adapterContext(adapter);
    await connectGrant(adapter, ctx);
    const consented = await authorizeAndConsent(adapter, ctx, {}, { prompt: "select_account" });
    expectFailure(await adapter.exchangeCode(ctx, { code: codeOf(consented), codeVerifier: consented.codeVerifier }), "reauth");
  });

  it.each([
    { status: 503, body: { error: "temporarily_unavailable" }, kind: "retry" as const, retryAfterSeconds: undefined, headers: undefined },
    { status: 429, body: { error: "rate_limit_exceeded" }, kind: "retry" as const, retryAfterSeconds: 120, headers: { "retry-after": "120" } },
    { status: 400, body: { error: "invalid_request", error_description: "Missing required parameter: code." }, kind: "fatal" as const, retryAfterSeconds: undefined, headers: undefined },
  ])("classifies a token endpoint $status as $kind, and the unused code still works afterwards", async ({ status, body, kind, retryAfterSeconds, headers }) => {
    const ctx = adapterContext(adapter);
    const consented = await authorizeAndConsent(adapter, ctx);
    const request = { code: codeOf(consented), codeVerifier: consented.codeVerifier };
    await addFault({ platform: "google", method: "POST", path: "/token", status, body, ...(headers ? { headers } : {}) });
    const failure = expectFailure(await adapter.exchangeCode(ctx, request), kind);
    expect(failure.status).toBe(status);
    expect(failure.retryAfterSeconds).toBe(retryAfterSeconds);
    expect((await adapter.exchangeCode(ctx, request)).ok).toBe(true);
  });
});

describe("YouTube refresh and revoke", () => {
  it("refreshes an expired access token and keeps Google's refresh token", async () => {
    const ctx = adapterContext(adapter);
    const grant = await connectGrant(adapter, ctx);
    await sandboxTokens("expire", grant.tokens.accessToken);
    const expired = await youtubeChannels(ctx, grant.tokens);
    expect(expectFailure(expired, "refresh")).toMatchObject({ status: 401, platformCode: "authError" });

    const later = adapterContext(adapter, { now: ctx.now + 3600 * 1000 });
    const refreshed = await adapter.refresh(later, grant.tokens);
    if (!refreshed.ok) throw new Error(refreshed.failure.message);
    expect(refreshed.value.accessToken).not.toBe(grant.tokens.accessToken);
    expect(refreshed.value.refreshToken).toBe(grant.tokens.refreshToken);
    expect(refreshed.value.expiresAt).toBe(later.now + 3599 * 1000);
    const channels = await youtubeChannels(later, refreshed.value);
    expect(channels.ok && channels.value.map((c) => c.externalId)).toEqual([PERSONAL]);
    // The same refresh token keeps working (Google does not rotate it).
    expect((await adapter.refresh(later, grant.tokens)).ok).toBe(true);
  });

  it("revokes the grant at Google, after which its tokens are refused", async () => {
    const ctx = adapterContext(adapter);
    const grant = await connectGrant(adapter, ctx);
    const since = await lastCallId();
    expect(await adapter.revoke(ctx, grant.tokens)).toEqual({ ok: true, value: null });
    const calls = await googleCallsSince(since);
    expect(calls.map((c) => [c.method, c.host, c.path, c.status])).toEqual([["POST", "oauth2.googleapis.com", "/revoke", 200]]);
    expect(calls[0]?.query).toBe(`?token=${grant.tokens.refreshToken}`);

    expectFailure(await youtubeChannels(ctx, grant.tokens), "refresh");
    expect(expectFailure(await adapter.refresh(ctx, grant.tokens), "reauth").platformCode).toBe("invalid_grant");
    // Revoking again is answered 400 invalid_token, which counts as already revoked.
    expect(await adapter.revoke(ctx, grant.tokens)).toEqual({ ok: true, value: null });
    expect((await googleCallsSince(since)).at(-1)).toMatchObject({ path: "/revoke", status: 400 });
  });

  it("asks for a reconnect when the person revoked access at Google", async () => {
    const ctx = adapterContext(adapter);
    const grant = await connectGrant(adapter, ctx);
    await sandboxTokens("revoke", grant.tokens.accessToken);
    const failure = expectFailure(await adapter.refresh(ctx, grant.tokens), "reauth");
    expect(failure.message).toContain("Connect the account again.");
  });

  it("treats a missing refresh token as a reconnect, without calling Google", async () => {
    const tokens: TokenSet = { accessToken: "sbx_none", refreshToken: null, expiresAt: null, refreshExpiresAt: null };
    expectFailure(await adapter.refresh(adapterContext(adapter), tokens), "reauth");
  });
});

describe("YouTube error classification", () => {
  const envelope = (code: number, reason: string, message: string, domain = "youtube.quota") => ({ error: { code, message, errors: [{ message, domain, reason }], status: "PERMISSION_DENIED" } });

  it("waits for the daily quota to reset at midnight Pacific Time", async () => {
    // 12:00 in Los Angeles (PST, UTC−8): twelve hours to go.
    const ctx = adapterContext(adapter, { now: Date.UTC(2026, 0, 15, 20, 0, 0) });
    const consented = await authorizeAndConsent(adapter, ctx);
    await addFault({ platform: "google", method: "GET", path: "/youtube/v3/channels", status: 403, body: envelope(403, "quotaExceeded", "The request cannot be completed because you have exceeded your quota.") });
    const failure = expectFailure(await adapter.exchangeCode(ctx, { code: codeOf(consented), codeVerifier: consented.codeVerifier }), "retry");
    expect(failure).toMatchObject({ status: 403, platformCode: "quotaExceeded", retryAfterSeconds: 12 * 3600 });
    expect(failure.message).toContain("midnight Pacific Time");
  });

  it("counts to Pacific midnight in daylight saving time too", () => {
    // 23:30 in Los Angeles (PDT, UTC−7).
    expect(secondsUntilPacificMidnight(Date.UTC(2026, 6, 16, 6, 30, 0))).toBe(30 * 60);
  });

  const result = (status: number, json: unknown, headers: Record<string, string> = {}): HttpResult => ({ status, headers: new Headers(headers), text: JSON.stringify(json), json });

  it.each([
    { name: "rateLimitExceeded", r: result(403, envelope(403, "rateLimitExceeded", "Rate limit exceeded.", "youtube.quota")), kind: "retry", retry: 60 },
    { name: "userRateLimitExceeded with Retry-After", r: result(403, envelope(403, "userRateLimitExceeded", "User rate limit exceeded.", "usageLimits"), { "retry-after": "90" }), kind: "retry", retry: 90 },
    { name: "a bare 429", r: result(429, {}), kind: "retry", retry: 60 },
    { name: "authError", r: result(401, envelope(401, "authError", "Invalid Credentials", "global")), kind: "refresh", retry: undefined },
    { name: "a 401 without reason", r: result(401, { error: { code: 401, message: "Unauthenticated.", status: "UNAUTHENTICATED" } }), kind: "refresh", retry: undefined },
    { name: "forbidden", r: result(403, envelope(403, "forbidden", "Access forbidden.", "youtube.common")), kind: "reauth", retry: undefined },
    { name: "insufficientPermissions", r: result(403, envelope(403, "insufficientPermissions", "Insufficient Permission.", "global")), kind: "reauth", retry: undefined },
    { name: "youtubeSignupRequired", r: result(401, envelope(401, "youtubeSignupRequired", "Unauthorized.", "youtube.header")), kind: "reauth", retry: undefined },
    { name: "backendError", r: result(503, envelope(503, "backendError", "Backend Error.", "global")), kind: "retry", retry: undefined },
    { name: "an unknown 400", r: result(400, envelope(400, "invalidTitle", "The request metadata specifies an invalid video title.", "youtube.video")), kind: "fatal", retry: undefined },
    { name: "a non-JSON 502", r: { status: 502, headers: new Headers(), text: "<html>Bad gateway</html>", json: undefined }, kind: "retry", retry: undefined },
  ])("classifies $name as $kind with a sentence", ({ r, kind, retry }) => {
    const failure = classifyYoutubeError(r, Date.now());
    expect(failure.kind).toBe(kind);
    expect(failure.retryAfterSeconds).toBe(retry);
    expectSentence(failure.message);
  });

  it("classifies an unreachable YouTube as retry", () => {
    const failure = classifyYoutubeError({ networkError: "connection reset" }, Date.now());
    expect(failure.kind).toBe("retry");
    expectSentence(failure.message);
  });
});

import { describe, expect, it } from "vitest";
import { z } from "zod";
import { facebookAdapter } from "../../worker/platforms/facebook";
import { GRAPH, graphList } from "../../worker/platforms/meta-graph";
import { lastCallId, SANDBOX, sandboxCalls } from "../helpers/connect";
import { adapterContext, addFault, authorizeAndConsent, codeOf, connectGrant, expectFailure, expectSentence } from "../helpers/oauth-flow";

const COFFEE = "104938271234567";
const BAKERY = "104938271234568";
const ROASTERY = "104938271234569";
const HOLDINGS = "203040506070809";

/** Reads the sandbox's Graph directly with a token (what a Page token may still do). */
async function graphGet(path: string, token: string): Promise<{ status: number; body: { error?: { code: number; error_subcode?: number }; data?: { id: string; subscribed_fields: string[] }[] } }> {
  const response = await fetch(`${SANDBOX}/graph.facebook.com/v23.0${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as never };
}

describe("Facebook adapter: connecting", () => {
  it("sends people to the v23.0 Login dialog with every scope, the state and response_type=code", () => {
    const ctx = adapterContext(facebookAdapter);
    const url = new URL(facebookAdapter.authorizeUrl(ctx, { state: "st-1", codeChallenge: null }));
    expect(`${url.origin}${url.pathname}`).toBe(`${SANDBOX}/www.facebook.com/v23.0/dialog/oauth`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: ctx.credentials.clientId,
      redirect_uri: "http://atelier.test/oauth/facebook/callback",
      state: "st-1",
      response_type: "code",
      scope: facebookAdapter.scopes.map((s) => s.scope).join(","),
    });
    expect(facebookAdapter.refreshable).toBe(false);
    for (const scope of facebookAdapter.scopes) expectSentence(scope.purpose);
  });

  it("connects every shared Page, including the one only a business owns, with non-expiring Page tokens", async () => {
    const ctx = adapterContext(facebookAdapter);
    const grant = await connectGrant(facebookAdapter, ctx);
    expect(grant.account).toEqual({ id: "10221234567890123", name: "Sam Sandbox" });
    expect(grant.grantedScopes.sort()).toEqual([...facebookAdapter.scopes.map((s) => s.scope), "public_profile"].sort());
    expect(grant.tokens.accessToken).toMatch(/^sbx_/);
    expect(grant.tokens).toMatchObject({ refreshToken: null, expiresAt: ctx.now + 5_183_944_000, refreshExpiresAt: null });

    const byId = Object.fromEntries(grant.channels.map((c) => [c.externalId, c]));
    expect(Object.keys(byId).sort()).toEqual([COFFEE, BAKERY, ROASTERY].sort());
    expect(byId[COFFEE]).toMatchObject({ kind: "facebook_page", name: "Northwind Coffee", handle: "northwindcoffee", metadata: { pageId: COFFEE, instagramBusinessAccountId: "17841400000000001" } });
    expect(byId[BAKERY]).toMatchObject({ name: "Northwind Bakery", handle: "northwindbakery", metadata: { pageId: BAKERY } });
    expect(byId[BAKERY]?.metadata).not.toHaveProperty("instagramBusinessAccountId");
    expect(byId[ROASTERY]).toMatchObject({ name: "Northwind Roastery", metadata: { pageId: ROASTERY, instagramBusinessAccountId: "17841400000000003" } });
    for (const channel of grant.channels) {
      expect(channel.avatarUrl).toMatch(/^data:image\/svg\+xml/);
      expect(channel.tokens).toEqual({ accessToken: expect.stringMatching(/^sbx_/), refreshToken: null, expiresAt: null, refreshExpiresAt: null });
      expect(channel.tokens.accessToken).not.toBe(grant.tokens.accessToken);
    }
    // A Page token speaks for its Page.
    expect((await graphGet("/me?fields=id,name", byId[BAKERY]?.tokens.accessToken ?? "")).body).toMatchObject({ id: BAKERY, name: "Northwind Bakery" });
  });

  it("offers only the Pages the person shared", async () => {
    const grant = await connectGrant(facebookAdapter, adapterContext(facebookAdapter), { assets: [BAKERY] });
    expect(grant.channels.map((c) => c.name)).toEqual(["Northwind Bakery"]);
  });

  it("reports an unticked permission as not granted, and without business_management skips business Pages", async () => {
    const grant = await connectGrant(facebookAdapter, adapterContext(facebookAdapter), { scopes: facebookAdapter.scopes.map((s) => s.scope).filter((s) => s !== "read_insights" && s !== "business_management") });
    expect(grant.grantedScopes).not.toContain("read_insights");
    expect(grant.grantedScopes).not.toContain("business_management");
    expect(grant.grantedScopes).toContain("pages_manage_posts");
    expect(grant.channels.map((c) => c.externalId).sort()).toEqual([COFFEE, BAKERY].sort());
  });

  it("receives Facebook's own error parameters when the person declines", async () => {
    const consented = await authorizeAndConsent(facebookAdapter, adapterContext(facebookAdapter), { decision: "deny" });
    expect(Object.fromEntries(consented.params)).toEqual({ error: "access_denied", error_code: "200", error_description: "Permissions error", error_reason: "user_denied", state: consented.state });
  });

  it("refuses a code used twice, asking to start again", async () => {
    const ctx = adapterContext(facebookAdapter);
    const code = codeOf(await authorizeAndConsent(facebookAdapter, ctx));
    expect((await facebookAdapter.exchangeCode(ctx, { code, codeVerifier: null })).ok).toBe(true);
    const again = expectFailure(await facebookAdapter.exchangeCode(ctx, { code, codeVerifier: null }), "reauth");
    expect(again.platformCode).toBe("100/36009");
    expect(again.message).toMatch(/already used or has expired/);
  });

  it("refuses a code redeemed with a different redirect URI as a configuration problem", async () => {
    const code = codeOf(await authorizeAndConsent(facebookAdapter, adapterContext(facebookAdapter)));
    const failure = expectFailure(await facebookAdapter.exchangeCode(adapterContext(facebookAdapter, { redirectUri: "http://elsewhere.test/oauth/facebook/callback" }), { code, codeVerifier: null }), "fatal");
    expect(failure.message).toMatch(/callback URL/);
  });

  it("names the credentials when the app secret is wrong, without burning the code", async () => {
    const ctx = adapterContext(facebookAdapter);
    const code = codeOf(await authorizeAndConsent(facebookAdapter, ctx));
    const wrong = adapterContext(facebookAdapter, { credentials: { ...ctx.credentials, clientSecret: "not-the-secret" } });
    const failure = expectFailure(await facebookAdapter.exchangeCode(wrong, { code, codeVerifier: null }), "fatal");
    expect(failure.message).toMatch(/app secret.*META_APP_ID and META_APP_SECRET/);
    expect((await facebookAdapter.exchangeCode(ctx, { code, codeVerifier: null })).ok).toBe(true);
  });
});

describe("Facebook adapter: platform trouble", () => {
  it("treats a 5xx from the token endpoint as retryable", async () => {
    const ctx = adapterContext(facebookAdapter);
    const code = codeOf(await authorizeAndConsent(facebookAdapter, ctx));
    await addFault({ platform: "meta", method: "GET", path: "/v23.0/oauth/access_token", status: 503, body: "upstream unavailable" });
    const failure = expectFailure(await facebookAdapter.exchangeCode(ctx, { code, codeVerifier: null }), "retry");
    expect(failure.status).toBe(503);
  });

  it("treats a bare 429 from the token endpoint as retryable after Retry-After", async () => {
    const ctx = adapterContext(facebookAdapter);
    const code = codeOf(await authorizeAndConsent(facebookAdapter, ctx));
    await addFault({ platform: "meta", method: "GET", path: "/v23.0/oauth/access_token", status: 429, body: "", headers: { "retry-after": "30" } });
    expect(expectFailure(await facebookAdapter.exchangeCode(ctx, { code, codeVerifier: null }), "retry").retryAfterSeconds).toBe(30);
  });

  it("reads Graph's error envelope: code 1 is transient, code 4 waits for the Business-Use-Case window", async () => {
    const ctx = adapterContext(facebookAdapter);
    const first = codeOf(await authorizeAndConsent(facebookAdapter, ctx));
    await addFault({ platform: "meta", method: "GET", path: "/v23.0/oauth/access_token", status: 500, body: { error: { message: "An unknown error occurred", type: "OAuthException", code: 1, is_transient: true, fbtrace_id: "Abc" } } });
    expect(expectFailure(await facebookAdapter.exchangeCode(ctx, { code: first, codeVerifier: null }), "retry").platformCode).toBe("1");

    const second = codeOf(await authorizeAndConsent(facebookAdapter, ctx));
    await addFault({
      platform: "meta",
      method: "GET",
      path: "/v23.0/oauth/access_token",
      status: 400,
      body: { error: { message: "(#4) Application request limit reached", type: "OAuthException", code: 4, fbtrace_id: "Abc" } },
      headers: { "x-business-use-case-usage": JSON.stringify({ [COFFEE]: [{ type: "pages", call_count: 100, total_cputime: 3, total_time: 4, estimated_time_to_regain_access: 7 }] }) },
    });
    const limited = expectFailure(await facebookAdapter.exchangeCode(ctx, { code: second, codeVerifier: null }), "retry");
    expect(limited).toMatchObject({ platformCode: "4", retryAfterSeconds: 420 });
    expect(limited.message).toMatch(/about 7 minutes/);
  });

  it("reports a revoked session on a later Graph call with its reason in words", async () => {
    const ctx = adapterContext(facebookAdapter);
    const code = codeOf(await authorizeAndConsent(facebookAdapter, ctx));
    await addFault({ platform: "meta", method: "GET", path: "/v23.0/me/permissions", status: 400, body: { error: { message: "Error validating access token: The session has been invalidated because the user changed their password.", type: "OAuthException", code: 190, error_subcode: 460, fbtrace_id: "Abc" } } });
    const failure = expectFailure(await facebookAdapter.exchangeCode(ctx, { code, codeVerifier: null }), "reauth");
    expect(failure).toMatchObject({ platformCode: "190/460" });
    expect(failure.message).toMatch(/password was changed/);
  });

  it("follows paging.next, and stops at the page bound", async () => {
    const grant = await connectGrant(facebookAdapter, adapterContext(facebookAdapter), { assets: [COFFEE, BAKERY] });
    const caller = { http: adapterContext(facebookAdapter).http, name: "Facebook", credentialsKey: "meta" as const };
    const url = `${GRAPH}/me/accounts?fields=id,name&limit=1`;
    const all = await graphList(caller, url, z.object({ id: z.string() }), { token: grant.tokens.accessToken });
    expect(all.ok && all.value.map((p) => p.id)).toEqual([COFFEE, BAKERY]);
    const bounded = await graphList(caller, url, z.object({ id: z.string() }), { token: grant.tokens.accessToken, maxPages: 1 });
    expect(bounded.ok && bounded.value.map((p) => p.id)).toEqual([COFFEE]);
  });
});

describe("Facebook adapter: lifecycle", () => {
  it("cannot refresh: Meta has no refresh token, so it asks for a reconnect", async () => {
    const ctx = adapterContext(facebookAdapter);
    const failure = expectFailure(await facebookAdapter.refresh(ctx, { accessToken: "sbx_any", refreshToken: null, expiresAt: null, refreshExpiresAt: null }), "reauth");
    expect(failure.message).toMatch(/Connect the account again/);
  });

  it("subscribes a connected Page to webhooks and unsubscribes it on disconnect", async () => {
    const ctx = adapterContext(facebookAdapter);
    const grant = await connectGrant(facebookAdapter, ctx, { assets: [BAKERY] });
    const page = grant.channels[0];
    if (!page) throw new Error("no Page");
    expect(await facebookAdapter.onConnected?.(ctx, page)).toEqual({ ok: true, value: null });
    const subscribed = await graphGet(`/${BAKERY}/subscribed_apps`, page.tokens.accessToken);
    expect(subscribed.body.data).toContainEqual(expect.objectContaining({ id: ctx.credentials.clientId, subscribed_fields: ["feed", "messages", "message_echoes", "messaging_postbacks"] }));

    expect(await facebookAdapter.onDisconnected?.(ctx, page)).toEqual({ ok: true, value: null });
    const after = await graphGet(`/${BAKERY}/subscribed_apps`, page.tokens.accessToken);
    expect(after.body.data?.map((a) => a.id)).not.toContain(ctx.credentials.clientId);
  });

  it("names pages_manage_metadata when subscribing without it", async () => {
    const ctx = adapterContext(facebookAdapter);
    const grant = await connectGrant(facebookAdapter, ctx, { assets: [BAKERY], scopes: ["pages_show_list", "pages_manage_posts", "pages_read_engagement"] });
    const page = grant.channels[0];
    if (!page) throw new Error("no Page");
    const failure = expectFailure((await facebookAdapter.onConnected?.(ctx, page)) ?? { ok: true, value: null }, "reauth");
    expect(failure.message).toMatch(/“pages_manage_metadata”/);
  });

  it("revokes with DELETE /me/permissions; user and Page tokens then answer 190, and revoking again is fine", async () => {
    const ctx = adapterContext(facebookAdapter);
    const grant = await connectGrant(facebookAdapter, ctx, { assets: [COFFEE, HOLDINGS, ROASTERY] });
    const since = await lastCallId();
    expect(await facebookAdapter.revoke(ctx, grant.tokens)).toEqual({ ok: true, value: null });
    expect(await sandboxCalls("meta", since)).toContainEqual(expect.objectContaining({ method: "DELETE", path: "/v23.0/me/permissions", status: 200 }));

    expect((await graphGet("/me", grant.tokens.accessToken)).body.error).toMatchObject({ code: 190, error_subcode: 458 });
    for (const channel of grant.channels) expect((await graphGet("/me", channel.tokens.accessToken)).body.error).toMatchObject({ code: 190 });
    const page = grant.channels[0];
    if (!page) throw new Error("no Page");
    expect(expectFailure((await facebookAdapter.onConnected?.(ctx, page)) ?? { ok: true, value: null }, "reauth").message).toMatch(/removed from the account's apps/);
    expect(await facebookAdapter.revoke(ctx, grant.tokens)).toEqual({ ok: true, value: null });
  });
});

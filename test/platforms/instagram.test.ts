import { describe, expect, it } from "vitest";
import { instagramAdapter } from "../../worker/platforms/instagram";
import { lastCallId, SANDBOX, sandboxCalls } from "../helpers/connect";
import { adapterContext, addFault, authorizeAndConsent, codeOf, connectGrant, expectFailure, expectSentence } from "../helpers/oauth-flow";

const COFFEE_PAGE = "104938271234567";
const BAKERY_PAGE = "104938271234568";
const ROASTERY_PAGE = "104938271234569";
const HOLDINGS = "203040506070809";
const COFFEE_IG = "17841400000000001";
const ROASTERY_IG = "17841400000000003";

describe("Instagram adapter: connecting", () => {
  it("uses Facebook Login with the Meta app and the Instagram scopes", () => {
    const ctx = adapterContext(instagramAdapter);
    expect(instagramAdapter.credentialsKey).toBe("meta");
    const url = new URL(instagramAdapter.authorizeUrl(ctx, { state: "st-ig", codeChallenge: null }));
    expect(`${url.origin}${url.pathname}`).toBe(`${SANDBOX}/www.facebook.com/v23.0/dialog/oauth`);
    expect(url.searchParams.get("scope")?.split(",")).toEqual(expect.arrayContaining(["instagram_basic", "instagram_content_publish", "instagram_manage_comments", "instagram_manage_insights", "instagram_manage_messages", "pages_show_list", "pages_read_engagement", "business_management"]));
    expect(url.searchParams.get("redirect_uri")).toBe("http://atelier.test/oauth/instagram/callback");
    for (const scope of instagramAdapter.scopes) expectSentence(scope.purpose);
  });

  it("offers one channel per Instagram account linked to a shared Page, with that Page's token", async () => {
    const grant = await connectGrant(instagramAdapter, adapterContext(instagramAdapter));
    expect(grant.account.name).toBe("Sam Sandbox");
    expect(grant.grantedScopes).toEqual(expect.arrayContaining(instagramAdapter.scopes.map((s) => s.scope)));
    const byId = Object.fromEntries(grant.channels.map((c) => [c.externalId, c]));
    expect(Object.keys(byId).sort()).toEqual([COFFEE_IG, ROASTERY_IG].sort());
    expect(byId[COFFEE_IG]).toMatchObject({ kind: "instagram_account", name: "Northwind Coffee", handle: "northwind.coffee", metadata: { igUserId: COFFEE_IG, pageId: COFFEE_PAGE } });
    expect(byId[ROASTERY_IG]).toMatchObject({ name: "Northwind Roastery Co.", handle: "northwind.roastery", metadata: { igUserId: ROASTERY_IG, pageId: ROASTERY_PAGE } });
    for (const channel of grant.channels) {
      expect(channel.avatarUrl).toMatch(/^data:image\/svg\+xml/);
      expect(channel.tokens).toEqual({ accessToken: expect.stringMatching(/^sbx_meta_/), refreshToken: null, expiresAt: null, refreshExpiresAt: null });
    }
    // The channel token is the Page's token.
    const me = await fetch(`${SANDBOX}/graph.facebook.com/v23.0/me?fields=id`, { headers: { authorization: `Bearer ${byId[COFFEE_IG]?.tokens.accessToken}` } });
    expect(await me.json()).toEqual({ id: COFFEE_PAGE });
  });

  it("offers only the accounts the person shared (a shared Page without its Instagram account gives none)", async () => {
    const ctx = adapterContext(instagramAdapter);
    expect((await connectGrant(instagramAdapter, ctx, { assets: [COFFEE_PAGE, COFFEE_IG, BAKERY_PAGE] })).channels.map((c) => c.externalId)).toEqual([COFFEE_IG]);
    expect((await connectGrant(instagramAdapter, ctx, { assets: [COFFEE_PAGE] })).channels).toEqual([]);
    expect((await connectGrant(instagramAdapter, ctx, { assets: [HOLDINGS, ROASTERY_PAGE, ROASTERY_IG] })).channels.map((c) => c.externalId)).toEqual([ROASTERY_IG]);
  });

  it("reports unticked optional permissions as not granted", async () => {
    const scopes = instagramAdapter.scopes.map((s) => s.scope).filter((s) => s !== "instagram_manage_messages");
    const grant = await connectGrant(instagramAdapter, adapterContext(instagramAdapter), { scopes });
    expect(grant.grantedScopes).not.toContain("instagram_manage_messages");
    expect(grant.channels).toHaveLength(2);
  });

  it("names instagram_basic when it was unticked", async () => {
    const ctx = adapterContext(instagramAdapter);
    const code = codeOf(await authorizeAndConsent(instagramAdapter, ctx, { scopes: ["pages_show_list", "pages_read_engagement", "instagram_content_publish"] }));
    expect(expectFailure(await instagramAdapter.exchangeCode(ctx, { code, codeVerifier: null }), "reauth").message).toMatch(/“instagram_basic”/);
  });

  it("receives Facebook's error parameters when the person declines", async () => {
    const consented = await authorizeAndConsent(instagramAdapter, adapterContext(instagramAdapter), { decision: "deny" });
    expect(consented.params.get("error")).toBe("access_denied");
    expect(consented.params.get("error_reason")).toBe("user_denied");
    expect(consented.params.get("code")).toBeNull();
    expect(consented.params.get("state")).toBe(consented.state);
  });

  it("refuses a code used twice and a wrong app secret", async () => {
    const ctx = adapterContext(instagramAdapter);
    const code = codeOf(await authorizeAndConsent(instagramAdapter, ctx));
    const wrong = adapterContext(instagramAdapter, { credentials: { ...ctx.credentials, clientSecret: "nope" } });
    expect(expectFailure(await instagramAdapter.exchangeCode(wrong, { code, codeVerifier: null }), "fatal").message).toMatch(/Instagram rejected Atelier's app secret.*META_APP_SECRET/);
    expect((await instagramAdapter.exchangeCode(ctx, { code, codeVerifier: null })).ok).toBe(true);
    expectFailure(await instagramAdapter.exchangeCode(ctx, { code, codeVerifier: null }), "reauth");
  });

  it("refuses a redirect URI that differs from the authorize step", async () => {
    const code = codeOf(await authorizeAndConsent(instagramAdapter, adapterContext(instagramAdapter)));
    expectFailure(await instagramAdapter.exchangeCode(adapterContext(instagramAdapter, { redirectUri: "http://atelier.test/oauth/facebook/callback" }), { code, codeVerifier: null }), "fatal");
  });
});

describe("Instagram adapter: platform trouble and lifecycle", () => {
  it("classifies Graph errors on the account read: an invalidated session and the Instagram rate limit", async () => {
    const ctx = adapterContext(instagramAdapter);
    const assets = { assets: [COFFEE_PAGE, COFFEE_IG] };
    const first = codeOf(await authorizeAndConsent(instagramAdapter, ctx, assets));
    await addFault({ platform: "meta", method: "GET", path: `/v23.0/${COFFEE_IG}`, status: 400, body: { error: { message: "Error validating access token: The user has not authorized application 100000000000001.", type: "OAuthException", code: 190, error_subcode: 458, fbtrace_id: "Xyz" } } });
    expect(expectFailure(await instagramAdapter.exchangeCode(ctx, { code: first, codeVerifier: null }), "reauth").message).toMatch(/removed from the account's apps/);

    const second = codeOf(await authorizeAndConsent(instagramAdapter, ctx, assets));
    await addFault({
      platform: "meta",
      method: "GET",
      path: `/v23.0/${COFFEE_IG}`,
      status: 400,
      body: { error: { message: "(#80002) There have been too many calls to this Instagram account.", type: "OAuthException", code: 80002, fbtrace_id: "Xyz" } },
      headers: { "x-business-use-case-usage": JSON.stringify({ [COFFEE_IG]: [{ type: "instagram", call_count: 100, estimated_time_to_regain_access: 15 }] }) },
    });
    expect(expectFailure(await instagramAdapter.exchangeCode(ctx, { code: second, codeVerifier: null }), "retry").retryAfterSeconds).toBe(900);

    const third = codeOf(await authorizeAndConsent(instagramAdapter, ctx, assets));
    await addFault({ platform: "meta", method: "GET", path: `/v23.0/${COFFEE_IG}`, status: 400, body: { error: { message: "(#100) Tried accessing nonexisting field (profile_pic)", type: "OAuthException", code: 100, fbtrace_id: "Xyz" } } });
    expectFailure(await instagramAdapter.exchangeCode(ctx, { code: third, codeVerifier: null }), "fatal");
  });

  it("cannot refresh (no Meta refresh token)", async () => {
    expectFailure(await instagramAdapter.refresh(adapterContext(instagramAdapter), { accessToken: "sbx_x", refreshToken: null, expiresAt: null, refreshExpiresAt: null }), "reauth");
  });

  it("revokes the Meta grant: the Instagram channels' Page tokens stop working", async () => {
    const ctx = adapterContext(instagramAdapter);
    const grant = await connectGrant(instagramAdapter, ctx, { assets: [COFFEE_PAGE, COFFEE_IG] });
    const since = await lastCallId();
    expect(await instagramAdapter.revoke(ctx, grant.tokens)).toEqual({ ok: true, value: null });
    expect(await sandboxCalls("meta", since)).toContainEqual(expect.objectContaining({ method: "DELETE", path: "/v23.0/me/permissions", status: 200 }));
    const read = await fetch(`${SANDBOX}/graph.facebook.com/v23.0/${COFFEE_IG}?fields=id`, { headers: { authorization: `Bearer ${grant.channels[0]?.tokens.accessToken}` } });
    expect(read.status).toBe(400);
    expect(await read.json()).toMatchObject({ error: { code: 190, error_subcode: 458, type: "OAuthException" } });
  });
});

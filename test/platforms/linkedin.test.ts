import { describe, expect, it } from "vitest";
import { SAM_LINKEDIN, SAM_ORGANIZATIONS } from "../../sandbox/platforms/linkedin";
import { PlatformHttp } from "../../worker/platforms/http";
import { classifyLinkedInError, LINKEDIN_VERSION, linkedinAdapter as adapter } from "../../worker/platforms/linkedin";
import { adapterFor } from "../../worker/platforms/registry";
import { lastCallId, SANDBOX, sandboxCalls } from "../helpers/connect";
import { adapterContext, addFault, authorizeAndConsent, codeOf, connectGrant, expectFailure, expectSentence } from "../helpers/oauth-flow";

const DAY = 24 * 60 * 60 * 1000;
const ALL_SCOPES = ["openid", "profile", "email", "w_member_social", "r_organization_admin", "w_organization_social", "r_organization_social"];
const [BAKERY, STUDIO] = SAM_ORGANIZATIONS as [(typeof SAM_ORGANIZATIONS)[number], (typeof SAM_ORGANIZATIONS)[number]];

async function userinfo(accessToken: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${SANDBOX}/api.linkedin.com/v2/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function approvedCode(ctx = adapterContext(adapter)): Promise<string> {
  return codeOf(await authorizeAndConsent(adapter, ctx));
}

describe("LinkedIn connection adapter", () => {
  it("is registered and builds the 3-legged authorize URL with space-delimited scopes", () => {
    expect(adapterFor("linkedin")).toBe(adapter);
    expect(adapter.pkce).toBe(false);
    const ctx = adapterContext(adapter);
    const url = new URL(adapter.authorizeUrl(ctx, { state: "st-1", codeChallenge: null }));
    expect(`${url.origin}${url.pathname}`).toBe(`${SANDBOX}/www.linkedin.com/oauth/v2/authorization`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: ctx.credentials.clientId,
      redirect_uri: "http://atelier.test/oauth/linkedin/callback",
      state: "st-1",
      scope: ALL_SCOPES.join(" "),
    });
  });

  it("connects the member and both organizations Sam administers, with author URNs and string ids", async () => {
    const ctx = adapterContext(adapter);
    const grant = await connectGrant(adapter, ctx);
    expect(grant.account).toEqual({ id: SAM_LINKEDIN.sub, name: "Sam Sandbox" });
    expect(grant.grantedScopes).toEqual(ALL_SCOPES);
    expect(grant.tokens.accessToken).toMatch(/^sbx_/);
    expect(grant.tokens.expiresAt).toBe(ctx.now + 60 * DAY);
    expect(grant.tokens.refreshExpiresAt).toBe(ctx.now + 365 * DAY);
    expect(grant.channels).toEqual([
      { externalId: SAM_LINKEDIN.sub, kind: "linkedin_member", name: "Sam Sandbox", handle: null, avatarUrl: SAM_LINKEDIN.picture, tokens: grant.tokens, metadata: { authorUrn: `urn:li:person:${SAM_LINKEDIN.sub}` } },
      { externalId: "2414183", kind: "linkedin_organization", name: BAKERY.name, handle: "sandbox-bakery", avatarUrl: BAKERY.picture, tokens: grant.tokens, metadata: { authorUrn: "urn:li:organization:2414183" } },
      { externalId: "107654321", kind: "linkedin_organization", name: STUDIO.name, handle: "atelier-sandbox-studio", avatarUrl: STUDIO.picture, tokens: grant.tokens, metadata: { authorUrn: "urn:li:organization:107654321" } },
    ]);
  });

  it("offers only the organizations selected on the consent screen", async () => {
    const grant = await connectGrant(adapter, adapterContext(adapter), { assets: [STUDIO.id] });
    expect(grant.channels.map((c) => [c.kind, c.externalId])).toEqual([
      ["linkedin_member", SAM_LINKEDIN.sub],
      ["linkedin_organization", "107654321"],
    ]);
  });

  it("lets the member pick organizations on the sandbox's HTML consent screen", async () => {
    const ctx = adapterContext(adapter);
    const state = crypto.randomUUID();
    const page = await fetch(adapter.authorizeUrl(ctx, { state, codeChallenge: null }));
    const html = await page.text();
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    for (const org of SAM_ORGANIZATIONS) expect(html).toContain(org.name);
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1]?.replaceAll("&#38;", "&") ?? "";
    const form = new URLSearchParams([["decision", "approve"], ...ALL_SCOPES.map((s) => ["scope", s]), ["asset", BAKERY.id]]);
    const answer = await fetch(new URL(action, SANDBOX), { method: "POST", body: form, redirect: "manual" });
    const callback = new URL(answer.headers.get("location") ?? "");
    expect(callback.searchParams.get("state")).toBe(state);
    const grant = await adapter.exchangeCode(ctx, { code: callback.searchParams.get("code") ?? "", codeVerifier: null });
    if (!grant.ok) throw new Error(grant.failure.message);
    expect(grant.value.channels.map((c) => c.externalId)).toEqual([SAM_LINKEDIN.sub, BAKERY.id]);
  });

  it("reports an unticked scope and skips the organization lookup without r_organization_admin", async () => {
    const since = await lastCallId();
    const scopes = ["openid", "profile", "w_member_social"];
    const grant = await connectGrant(adapter, adapterContext(adapter), { scopes });
    expect(grant.grantedScopes).toEqual(scopes);
    expect(grant.channels.map((c) => c.kind)).toEqual(["linkedin_member"]);
    const calls = await sandboxCalls("linkedin", since);
    expect(calls.some((c) => c.path.startsWith("/v2/userinfo"))).toBe(true);
    expect(calls.some((c) => c.path.startsWith("/rest/organizationAcls"))).toBe(false);
  });

  it("returns LinkedIn's user_cancelled_authorize params when the member cancels", async () => {
    const consented = await authorizeAndConsent(adapter, adapterContext(adapter), { decision: "deny" });
    expect(consented.params.get("code")).toBeNull();
    expect(consented.params.get("error")).toBe("user_cancelled_authorize");
    expect(consented.params.get("error_description")).toBeTruthy();
    expect(consented.params.get("state")).toBe(consented.state);
  });

  it("refuses a code used twice with LinkedIn's invalid_request, asking to reconnect", async () => {
    const ctx = adapterContext(adapter);
    const code = await approvedCode(ctx);
    expect((await adapter.exchangeCode(ctx, { code, codeVerifier: null })).ok).toBe(true);
    const failure = expectFailure(await adapter.exchangeCode(ctx, { code, codeVerifier: null }), "reauth");
    expect(failure).toMatchObject({ status: 400, platformCode: "invalid_request" });
  });

  it("refuses a code redeemed with another redirect URI, naming the redirect address", async () => {
    const code = await approvedCode();
    const failure = expectFailure(await adapter.exchangeCode(adapterContext(adapter, { redirectUri: "http://atelier.test/oauth/linkedin/other" }), { code, codeVerifier: null }), "reauth");
    expect(failure.message).toContain("redirect address");
  });

  it("fails fatally, naming the credentials, when the client secret is wrong", async () => {
    const code = await approvedCode();
    const ctx = adapterContext(adapter, { credentials: { clientId: adapterContext(adapter).credentials.clientId, clientSecret: "not-the-secret" } });
    const failure = expectFailure(await adapter.exchangeCode(ctx, { code, codeVerifier: null }), "fatal");
    expect(failure.platformCode).toBe("invalid_client");
    expect(failure.message).toMatch(/client id and secret/);
  });

  describe("faults", () => {
    it("treats a token endpoint 5xx as retryable", async () => {
      const code = await approvedCode();
      await addFault({ platform: "linkedin", method: "POST", path: "/oauth/v2/accessToken", status: 502, body: "Bad Gateway" });
      expect(expectFailure(await adapter.exchangeCode(adapterContext(adapter), { code, codeVerifier: null }), "retry").status).toBe(502);
    });

    it("treats a token endpoint 429 as retryable and keeps Retry-After", async () => {
      const code = await approvedCode();
      await addFault({ platform: "linkedin", method: "POST", path: "/oauth/v2/accessToken", status: 429, headers: { "retry-after": "120" }, body: { status: 429, message: "Resource level throttle limit for calls to this resource is reached." } });
      expect(expectFailure(await adapter.exchangeCode(adapterContext(adapter), { code, codeVerifier: null }), "retry").retryAfterSeconds).toBe(120);
    });

    it("treats an organizationAcls 500 as retryable", async () => {
      const code = await approvedCode();
      await addFault({ platform: "linkedin", method: "GET", path: "/rest/organizationAcls", status: 500, body: { status: 500, message: "Internal Server Error" } });
      expect(expectFailure(await adapter.exchangeCode(adapterContext(adapter), { code, codeVerifier: null }), "retry").status).toBe(500);
    });

    it("asks to reconnect when userinfo says the token was revoked", async () => {
      const code = await approvedCode();
      await addFault({ platform: "linkedin", method: "GET", path: "/v2/userinfo", status: 401, body: { serviceErrorCode: 65601, message: "The token used in the request has been revoked by the user", status: 401, code: "REVOKED_ACCESS_TOKEN" } });
      const failure = expectFailure(await adapter.exchangeCode(adapterContext(adapter), { code, codeVerifier: null }), "reauth");
      expect(failure.platformCode).toBe("REVOKED_ACCESS_TOKEN");
    });
  });

  it("refreshes with the same 365-day refresh token whose lifetime does not reset", async () => {
    const ctx = adapterContext(adapter);
    const first = (await connectGrant(adapter, ctx)).tokens;
    const day59 = { ...ctx, now: ctx.now + 59 * DAY };
    const refreshed = await adapter.refresh(day59, first);
    if (!refreshed.ok) throw new Error(refreshed.failure.message);
    expect(refreshed.value.accessToken).not.toBe(first.accessToken);
    expect(refreshed.value.expiresAt).toBe(day59.now + 60 * DAY);
    expect(refreshed.value.refreshToken).toBe(first.refreshToken);
    expect(refreshed.value.refreshExpiresAt).toBe(first.refreshExpiresAt);
    expect((await userinfo(refreshed.value.accessToken)).status).toBe(200);
    // Not rotating: the same refresh token keeps working.
    expect((await adapter.refresh(day59, refreshed.value)).ok).toBe(true);
  });

  it("asks to reconnect when LinkedIn gave no refresh token (app not approved for programmatic refresh)", async () => {
    const failure = expectFailure(await adapter.refresh(adapterContext(adapter), { accessToken: "sbx_none", refreshToken: null, expiresAt: null, refreshExpiresAt: null }), "reauth");
    expect(failure.message).toContain("refresh token");
  });

  it("revokes the grant: the call is logged and the tokens are refused afterwards", async () => {
    const ctx = adapterContext(adapter);
    const tokens = (await connectGrant(adapter, ctx)).tokens;
    const since = await lastCallId();
    expect(await adapter.revoke(ctx, tokens)).toEqual({ ok: true, value: null });
    expect((await sandboxCalls("linkedin", since)).filter((c) => c.path === "/oauth/v2/revoke")).toEqual([expect.objectContaining({ method: "POST", status: 200 })]);
    const after = await userinfo(tokens.accessToken);
    expect(after).toMatchObject({ status: 401, body: { code: "REVOKED_ACCESS_TOKEN", serviceErrorCode: 65601 } });
    const http = new PlatformHttp((r) => fetch(r), SANDBOX);
    expectSentence(classifyLinkedInError(await http.request("https://api.linkedin.com/v2/userinfo", { headers: { authorization: `Bearer ${tokens.accessToken}` } })).message);
    expectFailure(await adapter.refresh(ctx, tokens), "reauth");
  });

  describe("LinkedIn-Version header", () => {
    const acls = async (headers: Record<string, string>) => {
      const tokens = (await connectGrant(adapter, adapterContext(adapter))).tokens;
      const http = new PlatformHttp((r) => fetch(r), SANDBOX);
      return http.request("https://api.linkedin.com/rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED", { headers: { authorization: `Bearer ${tokens.accessToken}`, ...headers } });
    };

    it("is pinned to an active version the sandbox accepts", async () => {
      expect(LINKEDIN_VERSION).toMatch(/^\d{6}$/);
      const result = await acls({ "linkedin-version": LINKEDIN_VERSION });
      expect("status" in result && result.status).toBe(200);
    });

    it("is required on /rest: without it LinkedIn answers 400 VERSION_MISSING", async () => {
      const result = await acls({});
      if (!("status" in result)) throw new Error("network failure");
      expect(result.status).toBe(400);
      expect(result.json).toMatchObject({ status: 400, code: "VERSION_MISSING" });
      const failure = classifyLinkedInError(result);
      expect(failure.kind).toBe("fatal");
      expectSentence(failure.message);
    });

    it("must be active: a retired version gets 426 NONEXISTENT_VERSION", async () => {
      const result = await acls({ "linkedin-version": "202301" });
      if (!("status" in result)) throw new Error("network failure");
      expect(result.status).toBe(426);
      expect(result.json).toMatchObject({ code: "NONEXISTENT_VERSION" });
      const failure = classifyLinkedInError(result);
      expect(failure.kind).toBe("fatal");
      expect(failure.message).toContain(LINKEDIN_VERSION);
      expectSentence(failure.message);
    });
  });
});

import { describe, expect, it } from "vitest";
import { threadsAdapter } from "../../worker/platforms/threads";
import { lastCallId, SANDBOX, sandboxCalls } from "../helpers/connect";
import { adapterContext, addFault, authorizeAndConsent, codeOf, connectGrant, expectFailure, expectSentence } from "../helpers/oauth-flow";

const PROFILE_ID = "25123456789012345";
const LONG_LIVED_MS = 5_183_944_000;
const DAY = 24 * 3_600_000;

async function threadsMe(token: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${SANDBOX}/graph.threads.net/v1.0/me?fields=id,username`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function sandboxControl(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${SANDBOX}/_sandbox/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
}

describe("Threads adapter: connecting", () => {
  it("sends people to threads.net with the Threads app, scopes, state and response_type=code", () => {
    const ctx = adapterContext(threadsAdapter);
    const url = new URL(threadsAdapter.authorizeUrl(ctx, { state: "st-th", codeChallenge: null }));
    expect(`${url.origin}${url.pathname}`).toBe(`${SANDBOX}/threads.net/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: "100000000000002",
      redirect_uri: "http://atelier.test/oauth/threads/callback",
      scope: "threads_basic,threads_content_publish,threads_read_replies,threads_manage_replies,threads_manage_insights",
      response_type: "code",
      state: "st-th",
    });
    expect(threadsAdapter.refreshable).toBe(true);
    for (const scope of threadsAdapter.scopes) expectSentence(scope.purpose);
  });

  it("connects the profile with a 60-day token and the granted scopes", async () => {
    const ctx = adapterContext(threadsAdapter);
    const grant = await connectGrant(threadsAdapter, ctx);
    expect(grant.account).toEqual({ id: PROFILE_ID, name: "Sam Sandbox" });
    expect(grant.grantedScopes).toEqual(threadsAdapter.scopes.map((s) => s.scope));
    expect(grant.tokens).toEqual({ accessToken: expect.stringMatching(/^sbx_threads_/), refreshToken: null, expiresAt: ctx.now + LONG_LIVED_MS, refreshExpiresAt: null });
    expect(grant.channels).toEqual([
      { externalId: PROFILE_ID, kind: "threads_profile", name: "Sam Sandbox", handle: "sam.sandbox", avatarUrl: expect.stringMatching(/^data:image\/svg\+xml/), tokens: grant.tokens, metadata: { threadsUserId: PROFILE_ID } },
    ]);
  });

  it("reports an unticked permission as not granted", async () => {
    const grant = await connectGrant(threadsAdapter, adapterContext(threadsAdapter), { scopes: ["threads_basic", "threads_content_publish", "threads_read_replies"] });
    expect(grant.grantedScopes).toEqual(["threads_basic", "threads_content_publish", "threads_read_replies"]);
  });

  it("receives the denial parameters when the person declines", async () => {
    const consented = await authorizeAndConsent(threadsAdapter, adapterContext(threadsAdapter), { decision: "deny" });
    expect(consented.params.get("error")).toBe("access_denied");
    expect(consented.params.get("error_reason")).toBe("user_denied");
    expect(consented.params.get("code")).toBeNull();
    expect(consented.params.get("state")).toBe(consented.state);
  });

  it("refuses a code used twice", async () => {
    const ctx = adapterContext(threadsAdapter);
    const code = codeOf(await authorizeAndConsent(threadsAdapter, ctx));
    expect((await threadsAdapter.exchangeCode(ctx, { code, codeVerifier: null })).ok).toBe(true);
    expect(expectFailure(await threadsAdapter.exchangeCode(ctx, { code, codeVerifier: null }), "reauth").platformCode).toBe("100/36009");
  });

  it("refuses a redirect URI that differs from the authorize step", async () => {
    const code = codeOf(await authorizeAndConsent(threadsAdapter, adapterContext(threadsAdapter)));
    const failure = expectFailure(await threadsAdapter.exchangeCode(adapterContext(threadsAdapter, { redirectUri: "http://atelier.test/elsewhere" }), { code, codeVerifier: null }), "fatal");
    expect(failure.message).toMatch(/callback URL/);
  });

  it("names the Threads credentials when the app secret is wrong", async () => {
    const ctx = adapterContext(threadsAdapter);
    const code = codeOf(await authorizeAndConsent(threadsAdapter, ctx));
    const failure = expectFailure(await threadsAdapter.exchangeCode(adapterContext(threadsAdapter, { credentials: { ...ctx.credentials, clientSecret: "wrong" } }), { code, codeVerifier: null }), "fatal");
    expect(failure.message).toMatch(/Threads rejected Atelier's app secret.*THREADS_APP_ID and THREADS_APP_SECRET/);
  });
});

describe("Threads adapter: platform trouble", () => {
  it("retries a 5xx and a 429 from the token endpoint", async () => {
    const ctx = adapterContext(threadsAdapter);
    await addFault({ platform: "threads", method: "POST", path: "/oauth/access_token", status: 502, body: "bad gateway" });
    const code = codeOf(await authorizeAndConsent(threadsAdapter, ctx));
    expect(expectFailure(await threadsAdapter.exchangeCode(ctx, { code, codeVerifier: null }), "retry").status).toBe(502);

    await addFault({ platform: "threads", method: "POST", path: "/oauth/access_token", status: 429, body: "", headers: { "retry-after": "12" } });
    const again = codeOf(await authorizeAndConsent(threadsAdapter, ctx));
    expect(expectFailure(await threadsAdapter.exchangeCode(ctx, { code: again, codeVerifier: null }), "retry").retryAfterSeconds).toBe(12);
  });

  it("classifies Graph envelopes from the long-lived exchange", async () => {
    const ctx = adapterContext(threadsAdapter);
    await addFault({ platform: "threads", method: "GET", path: "/access_token", status: 400, body: { error: { message: "(#4) Application request limit reached", type: "OAuthException", code: 4, fbtrace_id: "T1" } } });
    const code = codeOf(await authorizeAndConsent(threadsAdapter, ctx));
    expect(expectFailure(await threadsAdapter.exchangeCode(ctx, { code, codeVerifier: null }), "retry").platformCode).toBe("4");
  });
});

describe("Threads adapter: refresh and revoke", () => {
  it("refuses to refresh a token younger than a day, then refreshes it once it is a day old", async () => {
    const ctx = adapterContext(threadsAdapter);
    const grant = await connectGrant(threadsAdapter, ctx);
    const early = expectFailure(await threadsAdapter.refresh(ctx, grant.tokens), "fatal");
    expect(early.message).toMatch(/24 hours old/);

    // The sandbox clock is shared: it only ever moves forward, and nothing here depends on absolute time.
    await sandboxControl("clock", { advanceMs: DAY + 60_000 });
    const later = adapterContext(threadsAdapter, { now: ctx.now + DAY + 60_000 });
    const refreshed = await threadsAdapter.refresh(later, grant.tokens);
    if (!refreshed.ok) throw new Error(refreshed.failure.message);
    expect(refreshed.value).toEqual({ accessToken: expect.stringMatching(/^sbx_threads_/), refreshToken: null, expiresAt: later.now + LONG_LIVED_MS, refreshExpiresAt: null });
    expect(refreshed.value.accessToken).not.toBe(grant.tokens.accessToken);
    expect(await threadsMe(refreshed.value.accessToken)).toEqual({ status: 200, body: { id: PROFILE_ID, username: "sam.sandbox" } });
  });

  it("classifies refreshing an expired token as reauth", async () => {
    const ctx = adapterContext(threadsAdapter);
    const grant = await connectGrant(threadsAdapter, ctx);
    await sandboxControl("tokens/expire", { token: grant.tokens.accessToken });
    const failure = expectFailure(await threadsAdapter.refresh(ctx, grant.tokens), "reauth");
    expect(failure).toMatchObject({ platformCode: "190/463" });
    expect(failure.message).toMatch(/access has expired/);
  });

  it("revokes without calling Threads (no revoke endpoint is documented): the token stays valid at Threads", async () => {
    const ctx = adapterContext(threadsAdapter);
    const grant = await connectGrant(threadsAdapter, ctx);
    const since = await lastCallId();
    expect(await threadsAdapter.revoke(ctx, grant.tokens)).toEqual({ ok: true, value: null });
    expect(await sandboxCalls("threads", since)).toEqual([]);
    expect((await threadsMe(grant.tokens.accessToken)).status).toBe(200);
  });
});

import { Hono, type Context } from "hono";
import type { SandboxEnv } from "../app";
import { SANDBOX_APPS } from "../apps";
import { authorize } from "../consent";
import type { SandboxStore } from "../store/store";
import { checkToken, graphError, graphParams } from "./graph-common";
import { META_PERMISSIONS, metaAssets } from "./meta-world";

/** Short-lived user tokens from the code exchange live about two hours; `fb_exchange_token` gives ~60 days. */
const SHORT_LIVED_S = 7199;
const LONG_LIVED_S = 5_183_944;
const APP_ID = SANDBOX_APPS.meta.clientId;

/** The scopes a grant was asked for (granted ones are on the grant; the rest show as declined). */
export function requestedScopes(store: SandboxStore, grantId: string): string[] {
  return JSON.parse(store.meta(`meta:requested:grant:${grantId}`) ?? "[]") as string[];
}

/** `https://www.facebook.com/{version}/dialog/oauth`: the Login dialog (consent page or sandbox_auto). */
export function metaDialogRoutes(): Hono<SandboxEnv> {
  const dialog = async (c: Context<SandboxEnv>) => {
    const store = c.var.store;
    const url = new URL(c.req.url);
    const q = url.searchParams;
    const clientId = q.get("client_id");
    const redirectUri = q.get("redirect_uri");
    if (clientId !== APP_ID) return c.html(errorPage("Invalid App ID: the provided app ID does not look like a valid app ID."), 400);
    if (!redirectUri || !/^https?:\/\//.test(redirectUri)) return c.html(errorPage("URL blocked: this redirect failed because the redirect URI is not whitelisted in the app's Client OAuth Settings."), 400);
    if ((q.get("response_type") ?? "code") !== "code") return c.html(errorPage("The sandbox only simulates response_type=code."), 400);
    const requested = (q.get("scope") ?? "").split(/[,\s]+/).filter(Boolean);
    const unknown = requested.filter((s) => !(s in META_PERMISSIONS));
    if (unknown.length > 0) return c.html(errorPage(`Invalid Scopes: ${unknown.join(", ")}.`), 400);
    const state = q.get("state");
    const back = (params: Record<string, string>, fragment: string) => {
      const target = new URL(redirectUri);
      for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
      if (state !== null) target.searchParams.set("state", state);
      return `${target.toString()}${fragment}`;
    };
    return authorize(c, store, {
      platform: "meta",
      platformName: "Facebook",
      clientId,
      redirectUri,
      state,
      scopes: requested.filter((s) => s !== "public_profile").map((scope) => ({ scope, label: META_PERMISSIONS[scope] ?? scope })),
      assets: metaAssets(),
      approveRedirect: (code) => {
        store.setMeta(`meta:requested:code:${code}`, JSON.stringify(requested));
        // Facebook appends `#_=_` to the redirect; browsers keep it out of the query.
        return back({ code }, "#_=_");
      },
      denyRedirect: () => back({ error: "access_denied", error_code: "200", error_description: "Permissions error", error_reason: "user_denied" }, "#_=_"),
      codeChallenge: null,
      codeChallengeMethod: null,
      action: `${url.pathname}${url.search}`,
    });
  };
  return new Hono<SandboxEnv>().get("/:version/dialog/oauth", dialog).post("/:version/dialog/oauth", dialog);
}

/**
 * `GET|POST https://graph.facebook.com/{version}/oauth/access_token`: code → short-lived user token,
 * or `grant_type=fb_exchange_token` → long-lived. The client is checked before the code is consumed.
 * Error texts and the 360xx subcodes are as commonly reported by Graph clients (unverified).
 */
export async function metaTokenEndpoint(c: Context<SandboxEnv>): Promise<Response> {
  const store = c.var.store;
  const p = await graphParams(c);
  if (p.get("client_id") !== APP_ID) return graphError(c, { code: 101, message: "Error validating application. Invalid application ID." });
  if (p.get("client_secret") !== SANDBOX_APPS.meta.clientSecret) return graphError(c, { code: 1, message: "Error validating client secret." });

  if (p.get("grant_type") === "fb_exchange_token") {
    const checked = checkToken(c, store, "meta", APP_ID, p.get("fb_exchange_token"));
    if (!checked.ok) return checked.response;
    if (!checked.token.subject?.startsWith("user")) return graphError(c, { code: 100, message: "(#100) Only user access tokens can be exchanged for long-lived tokens." });
    const long = store.issueToken("meta", "access", checked.grant.id, LONG_LIVED_S * 1000, "user:long");
    return c.json({ access_token: long.token, token_type: "bearer", expires_in: LONG_LIVED_S });
  }

  const code = p.get("code");
  if (!code) return graphError(c, { code: 100, message: "(#100) The parameter code is required" });
  const row = store.consumeCode(code);
  if (row === "invalid" || (typeof row === "object" && row.platform !== "meta")) return graphError(c, { code: 100, message: "Invalid verification code format." });
  if (row === "used") return graphError(c, { code: 100, subcode: 36009, message: "This authorization code has been used." });
  if (row === "expired") return graphError(c, { code: 100, subcode: 36007, message: "This authorization code has expired." });
  if (row.client_id !== APP_ID) return graphError(c, { code: 100, message: "Error validating verification code. The code was issued to another app." });
  if (row.redirect_uri !== p.get("redirect_uri")) {
    return graphError(c, { code: 100, subcode: 36008, message: "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request" });
  }
  store.setMeta(`meta:requested:grant:${row.grant_id}`, store.meta(`meta:requested:code:${code}`) ?? "[]");
  const short = store.issueToken("meta", "access", row.grant_id, SHORT_LIVED_S * 1000, "user");
  return c.json({ access_token: short.token, token_type: "bearer", expires_in: SHORT_LIVED_S });
}

function errorPage(message: string): string {
  const escaped = message.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Facebook (sandbox) – Error</title></head><body><main><h1>Sorry, something went wrong.</h1><p>${escaped}</p></main></body></html>`;
}

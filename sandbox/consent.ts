import type { Context } from "hono";
import type { SandboxStore } from "./store/store";
import { SANDBOX_USER, type Asset } from "./world";

export type Scope = { scope: string; label: string };

export type AuthorizeSpec = {
  platform: string;
  platformName: string;
  clientId: string;
  redirectUri: string;
  state: string | null;
  scopes: Scope[];
  assets: Asset[];
  /** Per-platform shape of the redirect back, for approval (code) and denial. */
  approveRedirect: (code: string) => string;
  denyRedirect: () => string;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  /** Where the consent form posts (this same authorize path). */
  action: string;
};

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * The authorize step every platform shares: a real HTML consent screen (scopes and assets with
 * checkboxes, Approve and Deny), or — for unattended tests — `sandbox_auto=approve|deny`, with optional
 * `sandbox_scopes` / `sandbox_assets` (comma-separated) to grant less than was asked.
 */
export async function authorize(c: Context, store: SandboxStore, spec: AuthorizeSpec): Promise<Response> {
  const query = new URL(c.req.url).searchParams;
  const auto = query.get("sandbox_auto");
  if (c.req.method === "POST") {
    const form = await c.req.formData();
    if (form.get("decision") !== "approve") return c.redirect(spec.denyRedirect(), 302);
    return approve(c, store, spec, form.getAll("scope").map(String), form.getAll("asset").map(String));
  }
  if (auto === "deny") return c.redirect(spec.denyRedirect(), 302);
  if (auto === "approve") {
    const list = (name: string, all: string[]) => (query.has(name) ? (query.get(name) ?? "").split(",").filter(Boolean) : all);
    return approve(c, store, spec, list("sandbox_scopes", spec.scopes.map((s) => s.scope)), list("sandbox_assets", spec.assets.map((a) => a.id)));
  }
  return c.html(consentPage(spec, query));
}

function approve(c: Context, store: SandboxStore, spec: AuthorizeSpec, scopes: string[], assets: string[]): Response {
  const allowedScopes = scopes.filter((s) => spec.scopes.some((x) => x.scope === s));
  const allowedAssets = assets.filter((id) => spec.assets.some((a) => a.id === id));
  const grant = store.createGrant(spec.platform, spec.clientId, SANDBOX_USER.id, allowedScopes, allowedAssets);
  const code = store.issueCode(spec.platform, spec.clientId, spec.redirectUri, grant.id, { challenge: spec.codeChallenge, method: spec.codeChallengeMethod });
  return c.redirect(spec.approveRedirect(code), 302);
}

function consentPage(spec: AuthorizeSpec, query: URLSearchParams): string {
  const hidden = [...query.entries()].map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(v)}">`).join("");
  const scopes = spec.scopes
    .map((s) => `<li><label><input type="checkbox" name="scope" value="${escape(s.scope)}" checked> ${escape(s.label)} <code>${escape(s.scope)}</code></label></li>`)
    .join("");
  const assets = spec.assets
    .map((a) => `<li><label><input type="checkbox" name="asset" value="${escape(a.id)}" checked> <strong>${escape(a.name)}</strong>${a.handle ? ` <span>@${escape(a.handle)}</span>` : ""} <small>${escape(a.detail ?? a.kind)}</small></label></li>`)
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(spec.platformName)} (sandbox) – Authorize</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#1b1f24;background:#f6f7f9}main{background:#fff;border:1px solid #d0d7de;border-radius:12px;padding:1.5rem}ul{list-style:none;padding:0}li{margin:.4rem 0}code{font-size:.8em;color:#57606a}.badge{background:#fff3cd;border:1px solid #e0b400;border-radius:99px;padding:.1rem .6rem;font-size:.8rem}button{font:inherit;padding:.6rem 1.2rem;border-radius:8px;border:1px solid #1f6feb;margin-right:.5rem;cursor:pointer}button[value=approve]{background:#1f6feb;color:#fff}button:focus-visible,input:focus-visible{outline:3px solid #0969da;outline-offset:2px}</style></head>
<body><main><p><span class="badge">Sandbox</span></p><h1>${escape(spec.platformName)}</h1>
<p><strong>${escape(spec.clientId)}</strong> wants to access your account, <strong>${escape(SANDBOX_USER.name)}</strong>.</p>
<form method="post" action="${escape(spec.action)}">${hidden}
<fieldset><legend>Permissions</legend><ul>${scopes}</ul></fieldset>
${spec.assets.length > 0 ? `<fieldset><legend>Choose what to share</legend><ul>${assets}</ul></fieldset>` : ""}
<p><button type="submit" name="decision" value="approve">Approve</button><button type="submit" name="decision" value="deny">Deny</button></p>
</form></main></body></html>`;
}

/** PKCE S256: base64url(SHA-256(verifier)) must equal the challenge from the authorize step. */
export async function pkceMatches(verifier: string | null, challenge: string | null, method: string | null): Promise<boolean> {
  if (!challenge) return true;
  if (!verifier) return false;
  if ((method ?? "plain").toUpperCase() === "PLAIN") return verifier === challenge;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const encoded = btoa(String.fromCharCode(...digest)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  return encoded === challenge;
}

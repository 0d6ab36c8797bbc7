import { env } from "cloudflare:workers";
import type { Client, TestUser } from "./client";

export const SANDBOX = env.SANDBOX_ORIGIN ?? "http://sandbox.test";

export type ConsentChoice = { decision?: "approve" | "deny"; scopes?: string[]; assets?: string[] };

/** Starts a connect through the API and returns the authorize URL (the sandbox's consent page). */
export async function authorizeUrl(client: Client, user: TestUser, workspaceId: string, platform: string): Promise<string> {
  const response = await client.call("POST", `/api/workspaces/${workspaceId}/connections/${platform}/authorize`, { cookie: user.cookie });
  if (response.status !== 200) throw new Error(`authorize failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { url: string }).url;
}

/** Answers the consent page unattended (`sandbox_auto`) and returns the callback path the platform redirects to. */
export async function consent(url: string, choice: ConsentChoice = {}): Promise<string> {
  const consentUrl = new URL(url);
  consentUrl.searchParams.set("sandbox_auto", choice.decision ?? "approve");
  if (choice.scopes) consentUrl.searchParams.set("sandbox_scopes", choice.scopes.join(","));
  if (choice.assets) consentUrl.searchParams.set("sandbox_assets", choice.assets.join(","));
  const response = await fetch(consentUrl, { redirect: "manual" });
  const location = response.headers.get("location");
  if (response.status !== 302 || !location) throw new Error(`consent did not redirect: ${response.status} ${await response.text()}`);
  const callback = new URL(location);
  return `${callback.pathname}${callback.search}`;
}

/** The Accounts-page URL the app's callback sent the browser to, parsed. */
export function landing(response: Response): URL {
  const location = response.headers.get("location");
  if (response.status !== 302 || !location) throw new Error(`callback did not redirect: ${response.status}`);
  return new URL(location, "http://atelier.test");
}

/** The whole connect: API authorize → consent → app callback; follows a channel selection with all candidates. */
export async function connectPlatform(client: Client, user: TestUser, workspaceId: string, platform: string, choice: ConsentChoice = {}): Promise<{ landing: URL; connectionIds: string[] }> {
  const callbackPath = await consent(await authorizeUrl(client, user, workspaceId, platform), choice);
  const result = landing(await client.call("GET", callbackPath, { cookie: user.cookie }));
  if (result.searchParams.get("connect") === "select") {
    const grantId = result.searchParams.get("grant") ?? "";
    const pending = (await (await client.call("GET", `/api/workspaces/${workspaceId}/connections/pending/${grantId}`, { cookie: user.cookie })).json()) as { candidates: { externalId: string }[] };
    const added = await client.call("POST", `/api/workspaces/${workspaceId}/connections/pending/${grantId}`, { cookie: user.cookie, body: { externalIds: pending.candidates.map((c) => c.externalId) } });
    const body = (await added.json()) as { connections: { id: string }[] };
    return { landing: result, connectionIds: body.connections.map((c) => c.id) };
  }
  const list = (await (await client.call("GET", `/api/workspaces/${workspaceId}/connections`, { cookie: user.cookie })).json()) as { connections: { id: string; platform: string }[] };
  return { landing: result, connectionIds: list.connections.filter((c) => c.platform === platform).map((c) => c.id) };
}

export async function sandboxCalls(platform: string, since: number): Promise<{ id: number; method: string; path: string; status: number }[]> {
  const body = (await (await fetch(`${SANDBOX}/_sandbox/calls?platform=${platform}&since=${since}`)).json()) as { calls: { id: number; method: string; path: string; status: number }[] };
  return body.calls;
}

/** The id of the newest call in the sandbox log, to read only what happens after it. */
export async function lastCallId(): Promise<number> {
  const body = (await (await fetch(`${SANDBOX}/_sandbox/calls?since=0`)).json()) as { calls: { id: number }[] };
  let last = body.calls.at(-1)?.id ?? 0;
  // The log is paged by 1,000: walk to the end.
  for (;;) {
    const next = (await (await fetch(`${SANDBOX}/_sandbox/calls?since=${last}`)).json()) as { calls: { id: number }[] };
    if (next.calls.length === 0) return last;
    last = next.calls.at(-1)?.id ?? last;
  }
}

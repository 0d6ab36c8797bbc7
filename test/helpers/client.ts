import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createApp } from "../../worker/app";

/** The origin the tests' "browser" runs on; mutating requests send it as `Origin`. */
export const ORIGIN = "http://atelier.test";

/** Injected time: tests move it explicitly, nothing sleeps. */
export class TestClock {
  constructor(public now = Date.UTC(2026, 10, 29, 12, 0, 0)) {}
  advance(ms: number): void {
    this.now += ms;
  }
  readonly read = () => this.now;
}

let ipCounter = 0;
/** Every client gets its own IP so per-IP rate limits never couple unrelated tests. */
function nextIp(): string {
  ipCounter += 1;
  return `203.0.${Math.floor(ipCounter / 250) % 250}.${(ipCounter % 250) + 1}`;
}

export type CallOptions = {
  body?: unknown;
  rawBody?: BodyInit;
  cookie?: string;
  headers?: Record<string, string>;
  origin?: string | null;
  ip?: string;
};

/** Drives the real Hono app (the same `createApp` production uses) inside workerd, with real bindings. */
export function makeClient(clock = new TestClock()) {
  const app = createApp({ clock: clock.read });
  const ip = nextIp();
  async function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
    const headers = new Headers(options.headers);
    headers.set("CF-Connecting-IP", options.ip ?? ip);
    headers.set("User-Agent", "atelier-tests");
    if (options.origin !== null && !["GET", "HEAD"].includes(method)) headers.set("Origin", options.origin ?? ORIGIN);
    if (options.cookie) headers.set("Cookie", options.cookie);
    let body: BodyInit | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers.set("Content-Type", "application/json");
    }
    const ctx = createExecutionContext();
    const response = await app.request(`${ORIGIN}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) }, env, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  }
  return { app, clock, call };
}
export type Client = ReturnType<typeof makeClient>;

/** `name=value` of the session cookie set by a response, for the next request's Cookie header. */
export function sessionCookieFrom(response: Response): string {
  for (const header of response.headers.getSetCookie()) {
    const pair = header.split(";")[0] ?? "";
    if (pair.includes("atelier_session=") && !pair.endsWith("=")) return pair;
  }
  throw new Error(`No session cookie in response (status ${response.status})`);
}

export function uniqueEmail(label = "user"): string {
  return `${label}-${crypto.randomUUID().slice(0, 12)}@example.com`;
}

export const PASSWORD = "correct horse battery staple";

export type TestUser = { id: string; email: string; name: string; cookie: string };

export async function signUp(client: Client, overrides: { email?: string; name?: string; password?: string } = {}): Promise<TestUser> {
  const email = overrides.email ?? uniqueEmail();
  const name = overrides.name ?? "Ada Lovelace";
  const response = await client.call("POST", "/api/auth/signup", { body: { email, name, password: overrides.password ?? PASSWORD } });
  if (response.status !== 201) throw new Error(`signup failed: ${response.status} ${await response.text()}`);
  const me = (await response.json()) as { id: string };
  return { id: me.id, email, name, cookie: sessionCookieFrom(response) };
}

export async function createWorkspace(client: Client, owner: TestUser, body: { name?: string; timezone?: string } = {}): Promise<{ id: string }> {
  const response = await client.call("POST", "/api/workspaces", { cookie: owner.cookie, body: { name: body.name ?? "Acme Social", timezone: body.timezone ?? "Europe/Paris" } });
  if (response.status !== 201) throw new Error(`workspace creation failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}

/** Invites `user` into the workspace with `role` through the real invite flow. */
export async function addMember(client: Client, workspaceId: string, admin: TestUser, user: TestUser, role: string): Promise<void> {
  const created = await client.call("POST", `/api/workspaces/${workspaceId}/invites`, { cookie: admin.cookie, body: { role } });
  if (created.status !== 201) throw new Error(`invite failed: ${created.status} ${await created.text()}`);
  const { token } = (await created.json()) as { token: string };
  const accepted = await client.call("POST", `/api/invites/${token}/accept`, { cookie: user.cookie });
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${await accepted.text()}`);
}

export async function problemOf(response: Response): Promise<{ type: string; title: string; status: number; detail: string; errors?: { path: string; message: string }[] }> {
  if (!response.headers.get("Content-Type")?.startsWith("application/problem+json")) {
    throw new Error(`expected a problem, got ${response.status} ${response.headers.get("Content-Type")}: ${await response.text()}`);
  }
  return (await response.json()) as never;
}

// Drives a running local stack over HTTP as a person's browser would (same-origin requests with the
// session cookie): sign up, create a workspace, connect channels through the sandbox's consent page,
// schedule posts. Used by the benchmarks and the crash test, which run against `npm start`'s layout.

/** A client for the app at `host` (e.g. http://127.0.0.1:8787). */
export function stackClient(host) {
  /** A same-origin JSON request; throws with the problem's text unless the answer is 2xx. */
  async function json(path, init = {}) {
    const response = await fetch(`${host}${path}`, { ...init, headers: { origin: host, "content-type": "application/json", ...(init.headers ?? {}) } });
    if (!response.ok) throw new Error(`${init.method ?? "GET"} ${path}: ${response.status} ${await response.text()}`);
    return response;
  }

  /** Signs a new person up; resolves with their session cookie (`name=value`). */
  async function signUp(name) {
    const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@stack.test`;
    const response = await json("/api/auth/signup", { method: "POST", body: JSON.stringify({ email, name, password: "stack-password-123" }) });
    return response.headers.getSetCookie()[0].split(";")[0];
  }

  async function createWorkspace(cookie, name, timezone = "UTC") {
    return (await json("/api/workspaces", { method: "POST", headers: { cookie }, body: JSON.stringify({ name, timezone }) })).json();
  }

  /**
   * Connects every channel `platform` offers through the real consent flow (the sandbox's consent page
   * approves on its own with `sandbox_auto`), as a person clicking through would; resolves with the
   * workspace's connections of that platform.
   */
  async function connect(cookie, workspaceId, platform) {
    const { url } = await (await json(`/api/workspaces/${workspaceId}/connections/${platform}/authorize`, { method: "POST", headers: { cookie } })).json();
    const consent = new URL(url);
    consent.searchParams.set("sandbox_auto", "approve");
    const toCallback = await fetch(consent, { redirect: "manual" });
    const callback = new URL(toCallback.headers.get("location"));
    const landed = await fetch(`${host}${callback.pathname}${callback.search}`, { headers: { cookie }, redirect: "manual" });
    const landing = new URL(landed.headers.get("location"), host);
    if (landing.searchParams.get("connect") === "select") {
      const grant = landing.searchParams.get("grant");
      const pending = await (await json(`/api/workspaces/${workspaceId}/connections/pending/${grant}`, { headers: { cookie } })).json();
      await json(`/api/workspaces/${workspaceId}/connections/pending/${grant}`, { method: "POST", headers: { cookie }, body: JSON.stringify({ externalIds: pending.candidates.map((c) => c.externalId) }) });
    }
    const list = await (await json(`/api/workspaces/${workspaceId}/connections`, { headers: { cookie } })).json();
    return list.connections.filter((c) => c.platform === platform);
  }

  /** Creates a post (`POST /posts`); resolves with the created post and its targets. */
  async function createPost(cookie, workspaceId, body) {
    return (await json(`/api/workspaces/${workspaceId}/posts`, { method: "POST", headers: { cookie }, body: JSON.stringify(body) })).json();
  }

  return { host, json, signUp, createWorkspace, connect, createPost };
}

/** The wall-clock string of an instant in UTC, for `scheduledLocal` in a UTC workspace. */
export function utcLocal(ms) {
  return new Date(ms).toISOString().slice(0, 19);
}

// Connects every channel a platform offers to a workspace through the real consent flow (the
// sandbox's consent page approves on its own with `sandbox_auto`), as a person clicking through would.

/** Returns the workspace's connections of `platform` once connected. */
export async function connectPlatform({ host, json }, cookie, workspaceId, platform) {
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

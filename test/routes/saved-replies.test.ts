import { describe, expect, it } from "vitest";
import { problemOf, TestClock } from "../helpers/client";
import { rowsOf } from "../helpers/d1";
import { json, memberWithRole, NOW, ownerWithWorkspace } from "../posts/fixtures";

type ApiSavedReply = { id: string; name: string; text: string; createdBy: string | null; createdAt: string; updatedAt: string };

async function setup() {
  const clock = new TestClock(NOW);
  const w = await ownerWithWorkspace(clock);
  const base = `/api/workspaces/${w.workspace.id}/inbox/saved-replies`;
  const call = (method: string, path: string, body?: unknown, cookie = w.owner.cookie) => w.client.call(method, `${base}${path}`, { cookie, ...(body === undefined ? {} : { body }) });
  return { ...w, clock, base, call };
}

const auditActions = async (workspaceId: string) =>
  (await rowsOf<{ action: string }>("SELECT action FROM audit_log WHERE workspace_id = ? AND action LIKE 'saved_reply.%'", workspaceId)).map((a) => a.action).sort();

describe("saved replies: happy path", () => {
  it("creates, lists by name, edits and deletes, auditing each change", async () => {
    const s = await setup();
    const shipping = await json<ApiSavedReply>(await s.call("POST", "", { name: "  Shipping ", text: "Hi {first_name}, we ship worldwide in 3 days." }), 201);
    expect(shipping).toMatchObject({ name: "Shipping", text: "Hi {first_name}, we ship worldwide in 3 days.", createdBy: s.owner.id, createdAt: new Date(NOW).toISOString() });
    const hours = await json<ApiSavedReply>(await s.call("POST", "", { name: "Opening hours", text: "We are open 9–5." }), 201);
    expect((await json<{ savedReplies: ApiSavedReply[] }>(await s.call("GET", ""), 200)).savedReplies.map((r) => r.name)).toEqual(["Opening hours", "Shipping"]);

    s.clock.advance(60_000);
    const edited = await json<ApiSavedReply>(await s.call("PATCH", `/${shipping.id}`, { text: "Thanks {name}! Shipping takes 3 days." }), 200);
    expect(edited).toMatchObject({ id: shipping.id, name: "Shipping", text: "Thanks {name}! Shipping takes 3 days.", updatedAt: new Date(NOW + 60_000).toISOString() });
    const stored = await rowsOf<{ text: string; updated_at: number }>("SELECT text, updated_at FROM saved_replies WHERE id = ?", shipping.id);
    expect(stored).toEqual([{ text: "Thanks {name}! Shipping takes 3 days.", updated_at: NOW + 60_000 }]);

    expect((await s.call("DELETE", `/${hours.id}`)).status).toBe(204);
    expect((await json<{ savedReplies: ApiSavedReply[] }>(await s.call("GET", ""), 200)).savedReplies.map((r) => r.id)).toEqual([shipping.id]);
    expect(await auditActions(s.workspace.id)).toEqual(["saved_reply.created", "saved_reply.created", "saved_reply.deleted", "saved_reply.updated"]);
  });
});

describe("saved replies: validation", () => {
  it.each([
    ["an empty name", { name: " ", text: "Hello" }, "name", "Give the saved reply a name."],
    ["a long name", { name: "n".repeat(81), text: "Hello" }, "name", "A name may have at most 80 characters."],
    ["an empty text", { name: "Hello", text: "" }, "text", "Write the reply."],
    ["a long text", { name: "Hello", text: "t".repeat(2001) }, "text", "A saved reply may have at most 2,000 characters."],
    ["an unknown variable", { name: "Hello", text: "Hi {firstname}" }, "text", "This variable does not exist: {firstname}. Use {first_name}, {name}, {channel} or {text}."],
  ])("refuses %s with a sentence at its field", async (_label, body, path, message) => {
    const s = await setup();
    const response = await s.call("POST", "", body);
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors).toContainEqual({ path, message });
    expect(await rowsOf("SELECT id FROM saved_replies WHERE workspace_id = ?", s.workspace.id)).toEqual([]);
  });

  it("refuses an edit that changes nothing, and checks variables on edit too", async () => {
    const s = await setup();
    const reply = await json<ApiSavedReply>(await s.call("POST", "", { name: "Hello", text: "Hi" }), 201);
    expect((await problemOf(await s.call("PATCH", `/${reply.id}`, {}))).detail).toBe("Change the name or the text.");
    const bad = await s.call("PATCH", `/${reply.id}`, { text: "Hi {nmae} and {first}" });
    expect((await problemOf(bad)).errors).toContainEqual({ path: "text", message: "These variables do not exist: {nmae}, {first}. Use {first_name}, {name}, {channel} or {text}." });
    expect(await rowsOf("SELECT text FROM saved_replies WHERE id = ?", reply.id)).toEqual([{ text: "Hi" }]);
  });
});

describe("saved replies: roles and tenancy", () => {
  it("lets contributors write and viewers only read", async () => {
    const s = await setup();
    const contributor = await memberWithRole(s.client, s.workspace.id, s.owner, "contributor");
    const viewer = await memberWithRole(s.client, s.workspace.id, s.owner, "viewer");
    const reply = await json<ApiSavedReply>(await s.call("POST", "", { name: "Thanks", text: "Thank you!" }, contributor.cookie), 201);
    expect(reply.createdBy).toBe(contributor.id);

    expect((await json<{ savedReplies: ApiSavedReply[] }>(await s.call("GET", "", undefined, viewer.cookie), 200)).savedReplies).toHaveLength(1);
    for (const [method, path, body] of [["POST", "", { name: "No", text: "No" }], ["PATCH", `/${reply.id}`, { name: "No" }], ["DELETE", `/${reply.id}`, undefined]] as const) {
      const refused = await s.call(method, path, body, viewer.cookie);
      expect(refused.status).toBe(403);
      expect((await problemOf(refused)).detail).toBe("Only contributors, editors, admins and owners can change saved replies.");
    }
    expect(await rowsOf("SELECT name FROM saved_replies WHERE workspace_id = ?", s.workspace.id)).toEqual([{ name: "Thanks" }]);
  });

  it("answers 404 for another workspace's reply and for non-members, changing nothing", async () => {
    const a = await setup();
    const b = await setup();
    const reply = await json<ApiSavedReply>(await a.call("POST", "", { name: "Private", text: "Ours" }), 201);
    // b's owner addresses a's reply through b's own workspace: not found, not forbidden.
    expect((await b.call("PATCH", `/${reply.id}`, { name: "Stolen" })).status).toBe(404);
    expect((await b.call("DELETE", `/${reply.id}`)).status).toBe(404);
    // …and a's workspace itself is invisible to b's owner.
    expect((await b.client.call("GET", a.base, { cookie: b.owner.cookie })).status).toBe(404);
    expect(await rowsOf("SELECT name FROM saved_replies WHERE id = ?", reply.id)).toEqual([{ name: "Private" }]);
  });
});

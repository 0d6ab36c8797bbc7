import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { lastCallId, SANDBOX, sandboxCalls } from "../helpers/connect";
import { sandboxFault } from "./actions-fixtures";
import { conversationsOf, inboundRunner, messagesOf, NOW, workspaceWith } from "./inbound-fixtures";
import { IG_ID, PAGE_ID } from "./meta-payloads";

/** A person the sandbox knows (it answers the User Profile API for them): they write the account once. */
async function sandboxPerson(platform: "facebook" | "instagram", account: string, name: string): Promise<string> {
  const response = await fetch(`${SANDBOX}/_sandbox/events/message`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ platform, account, author: { name }, text: "hello" }) });
  if (response.status !== 201) throw new Error(`message failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { authorId: string }).authorId;
}

/** The webhook entry of a DM from `sender`, as the consumer receives it (Messenger and Instagram share the shape). */
function dmEntry(account: string, sender: string, mid: string, text: string) {
  return { id: account, time: NOW, messaging: [{ sender: { id: sender }, recipient: { id: account }, timestamp: NOW - 1_000, message: { mid, text } }] };
}

/**
 * Every workspace of this file that connected a Page records its DMs: the failing-lookup test uses a
 * Page no other test here connects, so its one injected fault meets its own lookup.
 */
const BAKERY_PAGE = "104938271234568";

const profileCalls = async (since: number, personId: string) => (await sandboxCalls("meta", since)).filter((c) => c.method === "GET" && c.path.includes(`/${personId}`));

describe("DM participant names", () => {
  it("names a new Messenger thread and its author after the person's profile", async () => {
    const w = await workspaceWith("facebook", [PAGE_ID]);
    const psid = await sandboxPerson("facebook", PAGE_ID, "Amélie Poulain");
    const since = await lastCallId();
    const inbound = inboundRunner();
    const result = await inbound.run("page", dmEntry(PAGE_ID, psid, `m_names_${crypto.randomUUID()}`, "Are you open on Sunday?"));
    expect(result.explicitAcks).toEqual(["m1"]);
    const [conversation] = await conversationsOf(w.workspaceId);
    expect(conversation).toMatchObject({ kind: "dm", participant_id: psid, title: "Amélie Poulain" });
    expect(await env.DB.prepare("SELECT participant_name FROM conversations WHERE id = ?").bind(conversation!.id).first("participant_name")).toBe("Amélie Poulain");
    const [message] = await messagesOf(w.workspaceId);
    expect(message).toMatchObject({ author_id: psid, author_name: "Amélie Poulain", text: "Are you open on Sunday?" });
    expect(await profileCalls(since, psid)).toHaveLength(1);

    // A second message in the named thread asks Meta nothing more.
    const before = await lastCallId();
    await inbound.run("page", dmEntry(PAGE_ID, psid, `m_names_${crypto.randomUUID()}`, "And on Monday?"));
    expect(await profileCalls(before, psid)).toEqual([]);
    expect((await messagesOf(w.workspaceId)).map((m) => m.author_name)).toEqual(["Amélie Poulain", "Amélie Poulain"]);
  });

  it("names an Instagram thread after the person's display name", async () => {
    const w = await workspaceWith("instagram", [PAGE_ID, IG_ID]);
    const igsid = await sandboxPerson("instagram", IG_ID, "Jonas Weber");
    await inboundRunner().run("instagram", dmEntry(IG_ID, igsid, `aWdf_${crypto.randomUUID()}`, "Do you ship to Austria?"));
    expect((await conversationsOf(w.workspaceId))[0]).toMatchObject({ kind: "dm", platform: "instagram", participant_id: igsid, title: "Jonas Weber" });
    expect((await messagesOf(w.workspaceId))[0]).toMatchObject({ author_id: igsid, author_name: "Jonas Weber" });
  });

  it("keeps the placeholder when the profile call fails, records the message, and renames the thread on a later message", async () => {
    const w = await workspaceWith("facebook", [BAKERY_PAGE]);
    const psid = await sandboxPerson("facebook", BAKERY_PAGE, "Chidi Anagonye");
    await sandboxFault({ method: "GET", path: `/v23.0/${psid}`, status: 500, body: { error: { message: "An unknown error has occurred.", code: 1 } } });
    const inbound = inboundRunner();
    const first = await inbound.run("page", dmEntry(BAKERY_PAGE, psid, `m_names_${crypto.randomUUID()}`, "Hi there"));
    expect(first.explicitAcks).toEqual(["m1"]);
    expect(first.retryMessages).toEqual([]);
    const [placeholder] = await conversationsOf(w.workspaceId);
    expect(placeholder).toMatchObject({ title: `Messenger user …${psid.slice(-4)}`, participant_id: psid });
    expect((await messagesOf(w.workspaceId))[0]).toMatchObject({ text: "Hi there", author_name: null });

    await inbound.run("page", dmEntry(BAKERY_PAGE, psid, `m_names_${crypto.randomUUID()}`, "Still there?"));
    const [renamed] = await conversationsOf(w.workspaceId);
    expect(renamed).toMatchObject({ id: placeholder!.id, title: "Chidi Anagonye" });
    expect((await messagesOf(w.workspaceId)).map((m) => m.author_name)).toEqual([null, "Chidi Anagonye"]);
    expect(inbound.eventsFor(w.workspaceId).filter((e) => e.kind === "conversation.changed")).toHaveLength(3);
  });

  it("keeps the placeholder for a person Meta will not describe (an id outside the Page's scope)", async () => {
    const w = await workspaceWith("facebook", [PAGE_ID]);
    const stranger = `70999${String(Date.now()).slice(-11)}`;
    await inboundRunner().run("page", dmEntry(PAGE_ID, stranger, `m_names_${crypto.randomUUID()}`, "Hello?"));
    expect((await conversationsOf(w.workspaceId))[0]).toMatchObject({ title: `Messenger user …${stranger.slice(-4)}` });
    expect(await messagesOf(w.workspaceId)).toHaveLength(1);
  });

  it("lets a DM rule greet the person by {first_name}", async () => {
    const w = await workspaceWith("facebook", [PAGE_ID]);
    const psid = await sandboxPerson("facebook", PAGE_ID, "Marie Curie");
    const created = await w.client.call("POST", `/api/workspaces/${w.workspaceId}/inbox/rules`, {
      cookie: w.owner.cookie,
      body: { name: "Opening hours", conditions: { kinds: ["dm"], keywords: { any: ["open"] } }, actions: [{ type: "dm", text: "Hi {first_name}, we open at 8." }] },
    });
    expect(created.status).toBe(201);
    await inboundRunner().run("page", dmEntry(PAGE_ID, psid, `m_names_${crypto.randomUUID()}`, "When do you open?"));
    const actions = await env.DB.prepare("SELECT kind, text FROM inbox_actions WHERE workspace_id = ?").bind(w.workspaceId).all<{ kind: string; text: string }>();
    expect(actions.results).toEqual([{ kind: "dm", text: "Hi Marie, we open at 8." }]);
  });
});

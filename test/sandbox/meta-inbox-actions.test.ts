import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_APPS } from "../../sandbox/apps";
import { APP_WEBHOOK, COFFEE, COFFEE_IG, control, graph, inboxActions, lastReceipt, pageToken, publishTargets, received, SINK, subscribeApp, subscribePage, type GraphErrorBody, type Json } from "./meta-inbox-helpers";

/**
 * What the app does in the inbox, against the sandbox: replies, likes, hides and deletes on Page and
 * Instagram comments, private replies, Messenger and Instagram DMs with the 24 h window. Every action
 * must be recorded (GET /_sandbox/inbox) and, where Meta notifies, echoed to the webhook subscription
 * (the sandbox's sink here; pointed back at the app when the file ends). The window test moves the
 * sandbox clock 25 h forward, so it runs last.
 */
let token = "";
let fbPost = "";
let igMedia = "";

beforeAll(async () => {
  token = await pageToken(COFFEE);
  await subscribePage(token);
  ({ fbPost, igMedia } = await publishTargets(token));
  expect((await subscribeApp(SINK)).status).toBe(200);
});
afterAll(async () => {
  await subscribeApp(APP_WEBHOOK);
});

type Created = { id: string; authorId: string };
const fbComment = async (text: string, name = "Jane Doe") => (await control<Created>("POST", "/events/comment", { platform: "facebook", account: COFFEE, post: fbPost, author: { name }, text })).body;
const igComment = async (text: string, name = "Fan") => (await control<Created>("POST", "/events/comment", { platform: "instagram", account: COFFEE_IG, post: igMedia, author: { name }, text })).body;
const dmFrom = async (platform: "facebook" | "instagram", name: string, text = "hello", id?: string) => (await control<{ mid: string; authorId: string }>("POST", "/events/message", { platform, account: platform === "facebook" ? COFFEE : COFFEE_IG, author: { name, ...(id ? { id } : {}) }, text })).body;
const newActions = async (platform: string, account: string, since: number) => (await inboxActions(platform, account)).filter((a) => a.seq > since);
const lastAction = async (platform: string, account: string) => (await inboxActions(platform, account)).at(-1)?.seq ?? 0;
const send = (path: string, json: unknown, as = token) => graph<Json>("POST", path, { token: as, json });

describe("sandbox inbox: Facebook comments", () => {
  it("records a Page reply and echoes it as a feed comment from the Page", async () => {
    const comment = await fbComment("How much is it?");
    const before = await lastAction("facebook", COFFEE);
    const since = await lastReceipt();
    const reply = await graph<{ id: string }>("POST", `/${comment.id}/comments`, { token, form: { message: "It's €4 / cup" } });
    expect(reply.status).toBe(200);
    expect(await newActions("facebook", COFFEE, before)).toMatchObject([{ action: "reply", targetId: comment.id, text: "It's €4 / cup", resultId: reply.body.id }]);
    const [echo] = (await received(since)).map((r) => JSON.parse(r.body) as { entry: { changes: { value: Json }[] }[] });
    expect(echo?.entry[0]?.changes[0]?.value).toMatchObject({ item: "comment", verb: "add", comment_id: reply.body.id, parent_id: comment.id, post_id: fbPost, from: { id: COFFEE, name: "Northwind Coffee" }, message: "It's €4 / cup" });
    const replies = await graph<{ data: { id: string }[] }>("GET", `/${comment.id}/comments`, { token });
    expect(replies.body.data.map((c) => c.id)).toEqual([reply.body.id]);
  });

  it("likes, unlikes, hides and unhides a comment, and deletes one with a feed remove event", async () => {
    const comment = await fbComment("spam spam", "Spammer");
    const before = await lastAction("facebook", COFFEE);
    expect(await graph("POST", `/${comment.id}/likes`, { token })).toEqual({ status: 200, body: { success: true } });
    expect(await graph("DELETE", `/${comment.id}/likes`, { token })).toEqual({ status: 200, body: { success: true } });
    expect(await graph("POST", `/${comment.id}`, { token, form: { is_hidden: "true" } })).toEqual({ status: 200, body: { success: true } });
    const hidden = await graph<{ data: { id: string; is_hidden: boolean }[] }>("GET", `/${fbPost}/comments?fields=id,is_hidden`, { token });
    expect(hidden.body.data.find((c) => c.id === comment.id)?.is_hidden).toBe(true);
    expect((await graph("GET", `/${comment.id}?fields=id,is_hidden`, { token })).body).toEqual({ id: comment.id, is_hidden: true });
    expect(await graph("POST", `/${comment.id}`, { token, form: { is_hidden: "false" } })).toEqual({ status: 200, body: { success: true } });
    const since = await lastReceipt();
    expect(await graph("DELETE", `/${comment.id}`, { token })).toEqual({ status: 200, body: { success: true } });
    expect((await graph<GraphErrorBody>("GET", `/${comment.id}`, { token })).body.error.code).toBe(100);
    expect((await newActions("facebook", COFFEE, before)).map((a) => [a.action, a.targetId])).toEqual([["like", comment.id], ["unlike", comment.id], ["hide", comment.id], ["unhide", comment.id], ["delete", comment.id]]);
    const [removed] = (await received(since)).map((r) => JSON.parse(r.body) as { entry: { changes: { value: Json }[] }[] });
    expect(removed?.entry[0]?.changes[0]?.value).toMatchObject({ item: "comment", verb: "remove", comment_id: comment.id, post_id: fbPost });
    expect((await graph<GraphErrorBody>("DELETE", `/${comment.id}`, { token })).body.error.code).toBe(100);
  });

  it("wants pages_manage_engagement for moderation and refuses to hide the Page's own comment", async () => {
    const comment = await fbComment("hello");
    const readOnly = await pageToken(COFFEE, ["pages_show_list", "pages_read_engagement"]);
    const refused = await graph<GraphErrorBody>("POST", `/${comment.id}/likes`, { token: readOnly });
    expect(refused.body.error).toMatchObject({ code: 200, message: expect.stringContaining("pages_manage_engagement") });
    const own = await graph<{ id: string }>("POST", `/${fbPost}/comments`, { token, form: { message: "Thanks all!" } });
    expect((await graph<GraphErrorBody>("POST", `/${own.body.id}`, { token, form: { is_hidden: "true" } })).body.error.code).toBe(100);
  });
});

describe("sandbox inbox: Instagram comments", () => {
  it("replies, hides and deletes; comment likes have no API", async () => {
    const comment = await igComment("love this");
    const before = await lastAction("instagram", COFFEE_IG);
    const since = await lastReceipt();
    const reply = await graph<{ id: string }>("POST", `/${comment.id}/replies`, { token, form: { message: "Thank you! 💛" } });
    expect(reply.status).toBe(200);
    const [echo] = (await received(since)).map((r) => JSON.parse(r.body) as { object: string; entry: { changes: { value: Json }[] }[] });
    expect(echo).toMatchObject({ object: "instagram", entry: [{ changes: [{ value: { id: reply.body.id, parent_id: comment.id, from: { id: COFFEE_IG, username: "northwind.coffee" }, media: { id: igMedia } } }] }] });
    expect(await graph("POST", `/${comment.id}`, { token, form: { hide: "true" } })).toEqual({ status: 200, body: { success: true } });
    const listed = await graph<{ data: { id: string; hidden: boolean }[] }>("GET", `/${igMedia}/comments?fields=id,hidden`, { token });
    expect(listed.body.data.find((c) => c.id === comment.id)?.hidden).toBe(true);
    expect((await graph("GET", `/${comment.id}?fields=id,hidden`, { token })).body).toEqual({ id: comment.id, hidden: true });
    const like = await graph<GraphErrorBody>("POST", `/${comment.id}/likes`, { token });
    expect(like.status).toBe(400);
    expect(like.body.error).toMatchObject({ code: 100, message: expect.stringContaining("nonexisting field (likes)") });
    expect(await graph("DELETE", `/${reply.body.id}`, { token })).toEqual({ status: 200, body: { success: true } });
    expect((await graph<{ data: unknown[] }>("GET", `/${comment.id}/replies`, { token })).body.data).toEqual([]);
    expect((await newActions("instagram", COFFEE_IG, before)).map((a) => a.action)).toEqual(["reply", "hide", "delete"]);
  });
});

describe("sandbox inbox: private replies and DMs", () => {
  it("sends one private reply per comment (Facebook and Instagram) and echoes it", async () => {
    const comment = await fbComment("price?", "Curious Cat");
    const since = await lastReceipt();
    const sent = await send(`/${COFFEE}/messages`, { recipient: { comment_id: comment.id }, message: { text: "Sent you the price list" } });
    expect(sent).toEqual({ status: 200, body: { recipient_id: comment.authorId, message_id: expect.stringMatching(/^m_/) } });
    const [echo] = (await received(since)).map((r) => JSON.parse(r.body) as { entry: { messaging: Json[] }[] });
    expect(echo?.entry[0]?.messaging[0]).toMatchObject({ sender: { id: COFFEE }, recipient: { id: comment.authorId }, message: { mid: sent.body.message_id, text: "Sent you the price list", is_echo: true, app_id: Number(SANDBOX_APPS.meta.clientId) } });
    const again = await send(`/${COFFEE}/messages`, { recipient: { comment_id: comment.id }, message: { text: "again" } });
    expect(again.status).toBe(400);

    const ig = await igComment("price?", "IG Cat");
    const igSent = await send(`/${COFFEE}/messages`, { recipient: { comment_id: ig.id }, message: { text: "Check your DMs" } });
    expect(igSent).toEqual({ status: 200, body: { recipient_id: ig.authorId, message_id: expect.any(String) } });
    expect((await inboxActions("instagram", COFFEE_IG)).at(-1)).toMatchObject({ action: "private_reply", targetId: ig.id, text: "Check your DMs" });
    expect((await inboxActions("facebook", COFFEE)).filter((a) => a.action === "private_reply" && a.targetId === comment.id)).toHaveLength(1);
  });

  it("answers a DM inside the window on Messenger and Instagram, and records it", async () => {
    const person = await dmFrom("facebook", "Jane Doe", "Open today?");
    const since = await lastReceipt();
    const reply = await send(`/${COFFEE}/messages`, { recipient: { id: person.authorId }, messaging_type: "RESPONSE", message: { text: "Yes, until 6 pm" } });
    expect(reply).toEqual({ status: 200, body: { recipient_id: person.authorId, message_id: expect.stringMatching(/^m_/) } });
    const [echo] = (await received(since)).map((r) => JSON.parse(r.body) as { object: string; entry: { messaging: Json[] }[] });
    expect(echo).toMatchObject({ object: "page", entry: [{ messaging: [{ sender: { id: COFFEE }, recipient: { id: person.authorId }, message: { is_echo: true, text: "Yes, until 6 pm" } }] }] });
    expect((await inboxActions("facebook", COFFEE)).at(-1)).toMatchObject({ action: "dm", targetId: person.authorId, text: "Yes, until 6 pm", resultId: reply.body.message_id });

    const igPerson = await dmFrom("instagram", "IG Person");
    const viaIgUser = await send(`/${COFFEE_IG}/messages`, { recipient: { id: igPerson.authorId }, message: { text: "Hi from IG" } });
    expect(viaIgUser).toEqual({ status: 200, body: { recipient_id: igPerson.authorId, message_id: expect.any(String) } });
    const viaPage = await send(`/${COFFEE}/messages`, { recipient: { id: igPerson.authorId }, message: { text: "Hi again" } });
    expect(viaPage.status).toBe(200);
    expect((await inboxActions("instagram", COFFEE_IG)).slice(-2).map((a) => a.text)).toEqual(["Hi from IG", "Hi again"]);

    // Webhooks carry only scoped ids: the User Profile API names the people.
    expect((await graph("GET", `/${person.authorId}?fields=first_name,last_name`, { token })).body).toEqual({ id: person.authorId, first_name: "Jane", last_name: "Doe" });
    expect((await graph("GET", `/${igPerson.authorId}?fields=name,username`, { token })).body).toEqual({ id: igPerson.authorId, name: "IG Person", username: "ig_person" });
  });

  it("refuses unknown people, people who never wrote, and tokens without pages_messaging", async () => {
    const noUser = await send(`/${COFFEE}/messages`, { recipient: { id: "7199999999999999" }, message: { text: "hi" } });
    expect((noUser.body as GraphErrorBody).error).toMatchObject({ code: 100, error_subcode: 2018001 });
    const commenter = await fbComment("just a comment", "Silent Sam");
    const never = await send(`/${COFFEE}/messages`, { recipient: { id: commenter.authorId }, message: { text: "hi" } });
    expect((never.body as GraphErrorBody).error).toMatchObject({ code: 10, error_subcode: 2018278 });
    const person = await dmFrom("facebook", "Jane Doe");
    const noScope = await pageToken(COFFEE, ["pages_show_list", "pages_read_engagement"]);
    const refused = await send(`/${COFFEE}/messages`, { recipient: { id: person.authorId }, message: { text: "hi" } }, noScope);
    expect((refused.body as GraphErrorBody).error.code).toBe(230);
    const empty = await send(`/${COFFEE}/messages`, { recipient: { id: person.authorId }, message: { text: "" } });
    expect((empty.body as GraphErrorBody).error.code).toBe(100);
  });

  // Moves the sandbox clock 25 h: keep last.
  it("refuses a DM outside the 24 h window with code 10 / 2018278, and a private reply after 7 days", async () => {
    const person = await dmFrom("facebook", "Late Larry", "hello?");
    const instagram = await dmFrom("instagram", "Late Lucy", "hello?");
    const comment = await fbComment("old comment", "Old Olga");
    await control("POST", "/clock", { advanceMs: 25 * 3_600_000 });
    const before = await lastAction("facebook", COFFEE);
    const late = await send(`/${COFFEE}/messages`, { recipient: { id: person.authorId }, messaging_type: "RESPONSE", message: { text: "Sorry for the wait" } });
    expect(late.status).toBe(400);
    expect((late.body as GraphErrorBody).error).toMatchObject({ code: 10, error_subcode: 2018278, type: "OAuthException", message: expect.stringContaining("outside of allowed window") });
    const lateIg = await send(`/${COFFEE_IG}/messages`, { recipient: { id: instagram.authorId }, message: { text: "Sorry" } });
    expect((lateIg.body as GraphErrorBody).error).toMatchObject({ code: 10, error_subcode: 2018278 });
    // A human agent may still answer within 7 days (tag rules partially verified).
    const agent = await send(`/${COFFEE}/messages`, { recipient: { id: person.authorId }, messaging_type: "MESSAGE_TAG", tag: "HUMAN_AGENT", message: { text: "A person here" } });
    expect(agent.status).toBe(200);
    expect((await newActions("facebook", COFFEE, before)).map((a) => a.text)).toEqual(["A person here"]);
    // Writing again reopens the window.
    await dmFrom("facebook", "Late Larry", "still there?", person.authorId);
    const reopened = await send(`/${COFFEE}/messages`, { recipient: { id: person.authorId }, message: { text: "Yes!" } });
    expect(reopened.status).toBe(200);

    await control("POST", "/clock", { advanceMs: 6 * 24 * 3_600_000 });
    const stale = await send(`/${COFFEE}/messages`, { recipient: { comment_id: comment.id }, message: { text: "too late" } });
    expect((stale.body as GraphErrorBody).error).toMatchObject({ code: 10, error_subcode: 2018278 });
  });
});

import { describe, expect, it } from "vitest";
import { applyRules } from "../../worker/inbox/rules/apply";
import { problemOf, TestClock } from "../helpers/client";
import { rowsOf } from "../helpers/d1";
import { memberWithRole, NOW, ownerWithWorkspace } from "../posts/fixtures";
import { CapturingDeps, row, seedConnection, seedConversation, seedMessage } from "./actions-fixtures";

const PRICE_RULE = { name: "Prices", conditions: { kinds: ["comments"], keywords: { any: ["price", "cost"] } }, actions: [{ type: "reply", text: "Hi {first_name}, check your DMs!" }, { type: "tag", tag: "pricing" }] };

async function setup() {
  const w = await ownerWithWorkspace(new TestClock(NOW));
  const base = `/api/workspaces/${w.workspace.id}/inbox/rules`;
  const call = (method: string, path: string, body?: unknown, cookie = w.owner.cookie) => w.client.call(method, `${base}${path}`, { cookie, ...(body === undefined ? {} : { body }) });
  return { ...w, base, call };
}

async function json<T>(response: Response, status: number): Promise<T> {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

type ApiRule = { id: string; name: string; enabled: boolean; priority: number; conditions: Record<string, unknown>; actions: unknown[]; quietHours: unknown; cooldownSeconds: number; stopAfterMatch: boolean };
const counts = async (workspaceId: string) =>
  rowsOf("SELECT (SELECT COUNT(*) FROM inbox_rules WHERE workspace_id = ?1) AS rules, (SELECT COUNT(*) FROM inbox_rule_hits WHERE workspace_id = ?1) AS hits, (SELECT COUNT(*) FROM inbox_actions WHERE workspace_id = ?1) AS actions, (SELECT COUNT(*) FROM messages WHERE workspace_id = ?1) AS messages, (SELECT COUNT(*) FROM audit_log WHERE workspace_id = ?1) AS audits", workspaceId);

describe("rules CRUD", () => {
  it("creates, lists in priority order, edits and deletes a rule, auditing each change", async () => {
    const s = await setup();
    const created = await json<ApiRule>(await s.call("POST", "", PRICE_RULE), 201);
    expect(created).toMatchObject({
      name: "Prices",
      enabled: true,
      priority: 100,
      stopAfterMatch: false,
      cooldownSeconds: 0,
      quietHours: null,
      conditions: { channels: [], kinds: ["comments"], keywords: { any: ["price", "cost"], all: [], none: [] }, regex: null, excludeOwn: true },
      actions: PRICE_RULE.actions,
      createdBy: s.owner.id,
    });
    const first = await json<ApiRule>(await s.call("POST", "", { ...PRICE_RULE, name: "First", priority: 1 }), 201);
    expect((await json<{ rules: ApiRule[] }>(await s.call("GET", ""), 200)).rules.map((r) => r.name)).toEqual(["First", "Prices"]);

    const edited = await json<ApiRule>(await s.call("PATCH", `/${created.id}`, { enabled: false, quietHours: { from: "22:00", to: "07:00" }, cooldownSeconds: 3600 }), 200);
    expect(edited).toMatchObject({ enabled: false, quietHours: { from: "22:00", to: "07:00" }, cooldownSeconds: 3600, name: "Prices", actions: PRICE_RULE.actions });

    expect((await s.call("DELETE", `/${first.id}`)).status).toBe(204);
    expect((await json<{ rules: ApiRule[] }>(await s.call("GET", ""), 200)).rules.map((r) => r.id)).toEqual([created.id]);
    const audits = await rowsOf<{ action: string; target_id: string }>("SELECT action, target_id FROM audit_log WHERE workspace_id = ? AND action LIKE 'inbox_rule.%' ORDER BY created_at, id", s.workspace.id);
    expect(audits.map((a) => a.action).sort()).toEqual(["inbox_rule.created", "inbox_rule.created", "inbox_rule.deleted", "inbox_rule.updated"]);
  });
});

describe("rules validation", () => {
  it.each([
    ["an unknown template variable", { ...PRICE_RULE, actions: [{ type: "reply", text: "Hi {firstname}" }] }, "actions.0.text", "This variable does not exist: {firstname}. Use {first_name}, {name}, {channel} or {text}."],
    ["a public reply on a rule that also watches DMs", { ...PRICE_RULE, conditions: { keywords: { any: ["price"] } } }, "actions.0", "This action only works on comments: limit the rule to comments (in “Kinds”), or make a separate rule for direct messages."],
    ["a DM answer on comments", { ...PRICE_RULE, actions: [{ type: "dm", text: "hello" }] }, "actions.0", "A DM answer only works in direct-message conversations: limit the rule to DMs, or use a private reply for comments."],
    ["a lookahead in the pattern", { ...PRICE_RULE, conditions: { kinds: ["comments"], regex: { pattern: "(?=.*price)cost" } } }, "conditions.regex.pattern", "Lookahead and lookbehind ((?=…), (?!…), (?<=…), (?<!…)) are not supported: rule patterns are matched in time proportional to the message's length. Match the words themselves, or use the keyword lists."],
    ["a pattern that does not parse", { ...PRICE_RULE, conditions: { kinds: ["comments"], regex: { pattern: "(price|cost" } } }, "conditions.regex.pattern", "This is not a valid pattern: missing closing ): `(price|cost`."],
    ["a keyword with a hyphen, next to a bad pattern", { ...PRICE_RULE, conditions: { kinds: ["comments"], keywords: { any: ["e-mail"] }, regex: { pattern: "[z-a]" } } }, "conditions.regex.pattern", "This is not a valid pattern: invalid character class range: `z-a`."],
    ["no actions", { ...PRICE_RULE, actions: [] }, "actions", "Add at least one action."],
    ["a cooldown over 30 days", { ...PRICE_RULE, cooldownSeconds: 31 * 86400 }, "cooldownSeconds", "The cooldown can be at most 30 days."],
    ["quiet hours that start and end together", { ...PRICE_RULE, quietHours: { from: "22:00", to: "22:00" } }, "quietHours.to", "Quiet hours must start and end at different times."],
    ["a malformed time", { ...PRICE_RULE, quietHours: { from: "25:00", to: "07:00" } }, "quietHours.from", "Use a 24-hour time such as 22:00."],
    ["turning off excludeOwn", { ...PRICE_RULE, conditions: { kinds: ["comments"], excludeOwn: false } }, "conditions.excludeOwn", "Rules always ignore your own replies; this cannot be turned off."],
  ])("refuses %s with a sentence on the field", async (_label, body, path, message) => {
    const s = await setup();
    const response = await s.call("POST", "", body);
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.type).toBe("/problems/validation");
    expect(problem.errors).toContainEqual({ path, message });
    expect(await counts(s.workspace.id)).toEqual([{ rules: 0, hits: 0, actions: 0, messages: 0, audits: expect.any(Number) }]);
  });

  it("refuses another workspace's channel and a non-member assignee", async () => {
    const s = await setup();
    const other = await ownerWithWorkspace(new TestClock(NOW));
    const foreignChannel = await seedConnection(other.workspace.id, "instagram");
    const response = await s.call("POST", "", { ...PRICE_RULE, conditions: { ...PRICE_RULE.conditions, channels: [foreignChannel] }, actions: [{ type: "assign", userId: other.owner.id }] });
    expect((await problemOf(response)).errors).toEqual([
      { path: "conditions.channels.0", message: "This channel is not connected to this workspace." },
      { path: "actions.0.userId", message: "This person is not a member of the workspace." },
    ]);
  });

  it("checks an edit against the rule it produces", async () => {
    const s = await setup();
    const created = await json<ApiRule>(await s.call("POST", "", PRICE_RULE), 201);
    const response = await s.call("PATCH", `/${created.id}`, { conditions: { kinds: ["dm"] } });
    expect((await problemOf(response)).errors).toContainEqual({ path: "actions.0", message: expect.stringMatching(/only works on comments/) });
    expect((await problemOf(await s.call("PATCH", `/${created.id}`, {}))).errors).toEqual([{ path: "", message: "Change at least one field of the rule." }]);
  });
});

describe("rules tenancy and roles", () => {
  it("answers 404 for another workspace and for another workspace's rule", async () => {
    const s = await setup();
    const other = await ownerWithWorkspace(new TestClock(NOW));
    const theirs = await json<ApiRule>(await other.client.call("POST", `/api/workspaces/${other.workspace.id}/inbox/rules`, { cookie: other.owner.cookie, body: PRICE_RULE }), 201);
    expect((await s.client.call("GET", `/api/workspaces/${other.workspace.id}/inbox/rules`, { cookie: s.owner.cookie })).status).toBe(404);
    for (const [method, path] of [["PATCH", `/${theirs.id}`], ["DELETE", `/${theirs.id}`], ["GET", `/${theirs.id}/hits`]] as const) {
      const response = await s.call(method, path, method === "PATCH" ? { enabled: false } : undefined);
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    expect((await s.call("POST", "/dry-run", { ruleId: theirs.id })).status).toBe(404);
    expect(await row<{ enabled: number }>("SELECT enabled FROM inbox_rules WHERE id = ?", theirs.id)).toEqual({ enabled: 1 });
  });

  it("viewers and contributors read; editors and above change", async () => {
    const s = await setup();
    const created = await json<ApiRule>(await s.call("POST", "", PRICE_RULE), 201);
    for (const role of ["viewer", "contributor"]) {
      const member = await memberWithRole(s.client, s.workspace.id, s.owner, role);
      expect((await s.call("GET", "", undefined, member.cookie)).status).toBe(200);
      expect((await s.call("POST", "/dry-run", { ruleId: created.id }, member.cookie)).status).toBe(200);
      for (const [method, path, body] of [["POST", "", PRICE_RULE], ["PATCH", `/${created.id}`, { enabled: false }], ["DELETE", `/${created.id}`, undefined]] as const) {
        const response = await s.call(method, path, body, member.cookie);
        expect(response.status, `${role} ${method}`).toBe(403);
        expect((await problemOf(response)).detail).toBe("Only editors, admins and owners can change auto-reply rules.");
      }
    }
    const editor = await memberWithRole(s.client, s.workspace.id, s.owner, "editor");
    expect((await s.call("PATCH", `/${created.id}`, { name: "Prices (edited)" }, editor.cookie)).status).toBe(200);
  });
});

describe("dry run and hit log", () => {
  async function withMessages() {
    const s = await setup();
    const connectionId = await seedConnection(s.workspace.id, "instagram");
    const conversationId = await seedConversation(s.workspace.id, connectionId, { platform: "instagram", lastMessageAt: NOW - 60_000 });
    const add = (text: string, at: number, authorId = "1789012345678901", direction: "in" | "out" = "in") => seedMessage(s.workspace.id, conversationId, connectionId, { text, at, authorId, authorName: "Marie Curie", direction });
    const ids = { old: await add("price? (old)", NOW - 50 * 60_000), hello: await add("hello", NOW - 40 * 60_000), ours: await add("the price is 40", NOW - 30 * 60_000, "page", "out"), recent: await add("What does it COST?", NOW - 20 * 60_000) };
    return { ...s, connectionId, conversationId, ids };
  }

  it("shows which recent messages an unsaved rule would match and what it would do, changing nothing", async () => {
    const s = await withMessages();
    const before = await counts(s.workspace.id);
    const result = await json<{ examined: number; matched: number; matches: { messageId: string; why: string; actions: unknown[]; skipped: unknown; snippet: string; authorName: string }[] }>(
      await s.call("POST", "/dry-run", { rule: PRICE_RULE, last: 10 }),
      200,
    );
    expect(result).toMatchObject({ examined: 3, matched: 2 });
    expect(result.matches.map((m) => m.messageId)).toEqual([s.ids.recent, s.ids.old]);
    expect(result.matches[0]).toMatchObject({ why: "The message contains “cost”.", snippet: "What does it COST?", authorName: "Marie Curie", skipped: null, actions: [{ type: "reply", text: "Hi Marie, check your DMs!" }, { type: "tag", tag: "pricing" }] });
    expect(await counts(s.workspace.id)).toEqual(before);
  });

  it("simulates the cooldown along the messages, and limits to the last N", async () => {
    const s = await withMessages();
    const result = await json<{ examined: number; matches: { messageId: string; skipped: { reason: string } | null; actions: unknown[] }[] }>(await s.call("POST", "/dry-run", { rule: { ...PRICE_RULE, cooldownSeconds: 3600 }, last: 10 }), 200);
    expect(result.matches.map((m) => [m.messageId, m.skipped?.reason ?? null])).toEqual([[s.ids.recent, "cooldown"], [s.ids.old, null]]);
    expect(result.matches[0]?.actions).toEqual([]);
    const latestOnly = await json<{ examined: number; matched: number }>(await s.call("POST", "/dry-run", { rule: PRICE_RULE, last: 1 }), 200);
    expect(latestOnly).toMatchObject({ examined: 1, matched: 1 });
  });

  it("refuses a dry run with both or neither of rule and ruleId, or more than 500 messages", async () => {
    const s = await setup();
    expect((await problemOf(await s.call("POST", "/dry-run", { last: 5 }))).errors).toContainEqual({ path: "ruleId", message: "Send either a saved rule's id or an unsaved rule, not both." });
    expect((await problemOf(await s.call("POST", "/dry-run", { rule: PRICE_RULE, last: 501 }))).errors).toContainEqual({ path: "last", message: "A dry run looks at most at the last 500 messages." });
    expect((await problemOf(await s.call("POST", "/dry-run", { rule: { ...PRICE_RULE, conditions: {} } }))).errors).toContainEqual({ path: "rule.actions.0", message: expect.stringMatching(/only works on comments/) });
  });

  it("lists a rule's hits with the message snippet, author, outcome and time", async () => {
    const s = await withMessages();
    const created = await json<ApiRule>(await s.call("POST", "", PRICE_RULE), 201);
    const deps = new CapturingDeps(s.clock);
    await applyRules(deps.inbox(), s.ids.recent);
    const { hits } = await json<{ hits: unknown[] }>(await s.call("GET", `/${created.id}/hits?limit=10`), 200);
    expect(hits).toEqual([
      { id: expect.any(String), messageId: s.ids.recent, conversationId: s.conversationId, authorId: "1789012345678901", authorName: "Marie Curie", snippet: "What does it COST?", outcome: "acted", detail: "Asked to reply publicly; tagged the conversation “pricing”.", at: new Date(NOW).toISOString() },
    ]);
    expect((await problemOf(await s.call("GET", `/${created.id}/hits?limit=0`))).status).toBe(400);
  });

  it("lists each rule with its hit count and last hit, in one request", async () => {
    const s = await withMessages();
    const matching = await json<ApiRule>(await s.call("POST", "", PRICE_RULE), 201);
    const quiet = await json<ApiRule>(await s.call("POST", "", { ...PRICE_RULE, name: "Never matches", priority: 20, conditions: { kinds: ["comments"], keywords: { any: ["zzyzx"] } } }), 201);
    await applyRules(new CapturingDeps(s.clock).inbox(), s.ids.recent);
    const { rules } = await json<{ rules: (ApiRule & { hits: unknown })[] }>(await s.call("GET", ""), 200);
    expect(Object.fromEntries(rules.map((r) => [r.id, r.hits]))).toEqual({
      [matching.id]: { count: 1, lastAt: new Date(NOW).toISOString() },
      [quiet.id]: { count: 0, lastAt: null },
    });
  });
});

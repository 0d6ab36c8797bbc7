import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { and, asc, eq } from "drizzle-orm";
import { Id } from "../contracts/common";
import { DryRunBody, DryRunResult, HitQuery, Rule, RuleHitList, RuleInput, RuleList, RulePatch } from "../contracts/inbox-rules";
import { workspaces } from "../db/schema";
import { inboxRules } from "../db/schema-inbox";
import type { AppEnv } from "../http/app-env";
import { audit } from "../http/audit";
import { jsonBody, jsonContent, noContent, problems } from "../http/openapi";
import { notFound, ProblemError, type FieldError } from "../http/problems";
import { newRouter } from "../http/router";
import { requireRole } from "../http/tenancy";
import { dryRun } from "../inbox/rules/dry-run";
import { listRuleHits, ruleHitStats } from "../inbox/rules/hits";
import { ruleProblems } from "../inbox/rules/references";
import { engineRuleFrom, ruleView, type RuleRow } from "../inbox/rules/rule-rows";
import { newId } from "../security/ids";

/** Auto-reply rules (contract: worker/contracts/inbox-rules.ts). Every member reads; editors and above change them. */
const WorkspaceParams = z.object({ id: Id });
const RuleParams = z.object({ id: Id, ruleId: Id });
const PATH = "/{id}/inbox/rules";
const EDIT = "Only editors, admins and owners can change auto-reply rules.";

const listRules = createRoute({
  method: "get", path: PATH, tags: ["inbox"], summary: "The workspace's auto-reply rules, in the order they run",
  request: { params: WorkspaceParams },
  responses: { 200: jsonContent(RuleList, "The rules, lowest priority number first."), 401: problems[401], 404: problems[404] },
});
const createRule = createRoute({
  method: "post", path: PATH, tags: ["inbox"], summary: "Create an auto-reply rule",
  request: { params: WorkspaceParams, body: jsonBody(RuleInput) },
  responses: { 201: jsonContent(Rule, "The rule as saved."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404] },
});
const editRule = createRoute({
  method: "patch", path: `${PATH}/{ruleId}`, tags: ["inbox"], summary: "Change a rule; fields left out stay as they are",
  request: { params: RuleParams, body: jsonBody(RulePatch) },
  responses: { 200: jsonContent(Rule, "The rule after the change."), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404] },
});
const deleteRule = createRoute({
  method: "delete", path: `${PATH}/{ruleId}`, tags: ["inbox"], summary: "Delete a rule and its hit log (actions it already took stay)",
  request: { params: RuleParams },
  responses: { ...noContent, 401: problems[401], 403: problems[403], 404: problems[404] },
});
const dryRunRule = createRoute({
  method: "post", path: `${PATH}/dry-run`, tags: ["inbox"], summary: "Try a saved or unsaved rule against the last N inbound messages, changing nothing",
  request: { params: WorkspaceParams, body: jsonBody(DryRunBody) },
  responses: { 200: jsonContent(DryRunResult, "The messages the rule would match and what it would do."), 400: problems[400], 401: problems[401], 404: problems[404], 409: problems[409] },
});
const ruleHits = createRoute({
  method: "get", path: `${PATH}/{ruleId}/hits`, tags: ["inbox"], summary: "A rule's hit log: the messages it matched, and what it did",
  request: { params: RuleParams, query: HitQuery },
  responses: { 200: jsonContent(RuleHitList, "The hits, newest first."), 400: problems[400], 401: problems[401], 404: problems[404] },
});

async function findRule(c: Context<AppEnv>, workspaceId: string, ruleId: string): Promise<RuleRow> {
  const row = await c.var.db.select().from(inboxRules).where(and(eq(inboxRules.id, ruleId), eq(inboxRules.workspaceId, workspaceId))).get();
  if (!row) throw notFound("This rule");
  return row;
}

function refuseIf(errors: FieldError[]): void {
  if (errors.length > 0) throw new ProblemError("validation", "Some parts of the rule need attention.", { errors });
}

export const inboxRuleRoutes = newRouter()
  .openapi(listRules, async (c) => {
    const { id } = c.req.valid("param");
    const rows = await c.var.db.select().from(inboxRules).where(eq(inboxRules.workspaceId, id)).orderBy(asc(inboxRules.priority), asc(inboxRules.createdAt));
    const hits = await ruleHitStats(c.var.db, id, rows.map((r) => r.id));
    return c.json({ rules: rows.map((row) => ({ ...ruleView(row), hits: hits.get(row.id) ?? { count: 0, lastAt: null } })) }, 200);
  })
  .openapi(createRule, async (c) => {
    const { id } = c.req.valid("param");
    requireRole(c.var.membership.role, "editor", EDIT);
    const input = c.req.valid("json");
    refuseIf(await ruleProblems(c.var.db, id, input));
    const now = c.var.clock();
    const row: RuleRow = { id: newId(), workspaceId: id, ...input, createdBy: c.var.auth.user.id, createdAt: now, updatedAt: now };
    await c.var.db.batch([
      c.var.db.insert(inboxRules).values(row),
      audit(c, { workspaceId: id, action: "inbox_rule.created", targetType: "inbox_rule", targetId: row.id, detail: { name: row.name, enabled: row.enabled } }),
    ]);
    return c.json(ruleView(row), 201);
  })
  .openapi(editRule, async (c) => {
    const { id, ruleId } = c.req.valid("param");
    requireRole(c.var.membership.role, "editor", EDIT);
    const patch = c.req.valid("json");
    if (Object.keys(patch).length === 0) refuseIf([{ path: "", message: "Change at least one field of the rule." }]);
    const current = ruleView(await findRule(c, id, ruleId));
    const merged = { ...current, ...patch };
    refuseIf(await ruleProblems(c.var.db, id, merged));
    const now = c.var.clock();
    const changes = { name: merged.name, enabled: merged.enabled, priority: merged.priority, stopAfterMatch: merged.stopAfterMatch, cooldownSeconds: merged.cooldownSeconds, quietHours: merged.quietHours, conditions: merged.conditions, actions: merged.actions, updatedAt: now };
    const [, , updated] = await c.var.db.batch([
      c.var.db.update(inboxRules).set(changes).where(and(eq(inboxRules.id, ruleId), eq(inboxRules.workspaceId, id))),
      audit(c, { workspaceId: id, action: "inbox_rule.updated", targetType: "inbox_rule", targetId: ruleId, detail: { fields: Object.keys(patch) } }),
      c.var.db.select().from(inboxRules).where(eq(inboxRules.id, ruleId)),
    ]);
    const row = updated[0];
    if (!row) throw notFound("This rule");
    return c.json(ruleView(row), 200);
  })
  .openapi(deleteRule, async (c) => {
    const { id, ruleId } = c.req.valid("param");
    requireRole(c.var.membership.role, "editor", EDIT);
    const rule = await findRule(c, id, ruleId);
    await c.var.db.batch([
      c.var.db.delete(inboxRules).where(and(eq(inboxRules.id, ruleId), eq(inboxRules.workspaceId, id))),
      audit(c, { workspaceId: id, action: "inbox_rule.deleted", targetType: "inbox_rule", targetId: ruleId, detail: { name: rule.name } }),
    ]);
    return c.body(null, 204);
  })
  .openapi(dryRunRule, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const workspace = await c.var.db.select({ id: workspaces.id, timezone: workspaces.timezone }).from(workspaces).where(eq(workspaces.id, id)).get();
    if (!workspace) throw notFound("This workspace");
    let rule;
    if (body.rule) {
      refuseIf(await ruleProblems(c.var.db, id, body.rule, "rule."));
      rule = { id: "unsaved-rule", ...body.rule };
    } else {
      const row = await findRule(c, id, body.ruleId ?? "");
      rule = engineRuleFrom(row);
      if (!rule) throw new ProblemError("conflict", "This rule was saved in a form this version cannot read; open it and save it again.");
    }
    return c.json(await dryRun(c.var.db, workspace, rule, body.last), 200);
  })
  .openapi(ruleHits, async (c) => {
    const { id, ruleId } = c.req.valid("param");
    const { limit } = c.req.valid("query");
    await findRule(c, id, ruleId);
    return c.json({ hits: await listRuleHits(c.var.db, id, ruleId, limit) }, 200);
  });

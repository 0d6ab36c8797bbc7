import type { z } from "zod";
import type { Rule, RuleActionType, RuleInput } from "../../../../worker/contracts/inbox-rules.ts";

/** Which conversations a rule watches, as the form offers it (the contract's empty list means both). */
export type KindChoice = "comments" | "dm" | "both";

/** One action row: every field is kept while the type changes, so switching back does not lose text. */
export interface ActionDraft {
  type: RuleActionType;
  text: string;
  userId: string;
  tag: string;
}

/** The editor's state: strings where the person types, so a half-typed value is never coerced away. */
export interface RuleForm {
  name: string;
  enabled: boolean;
  priority: number;
  channels: string[];
  kinds: KindChoice;
  any: string[];
  all: string[];
  none: string[];
  useRegex: boolean;
  regexPattern: string;
  regexIgnoreCase: boolean;
  actions: ActionDraft[];
  cooldownMinutes: string;
  useQuietHours: boolean;
  quietFrom: string;
  quietTo: string;
  stopAfterMatch: boolean;
}

export const TEXT_ACTIONS: readonly RuleActionType[] = ["reply", "private_reply", "dm"];

export const ACTION_LABEL: Record<RuleActionType, string> = {
  reply: "Reply publicly",
  private_reply: "Reply privately (a DM to the commenter)",
  dm: "Answer the DM",
  like: "Like the comment",
  hide: "Hide the comment",
  assign: "Assign the conversation",
  tag: "Tag the conversation",
};

export const blankAction = (type: RuleActionType = "reply"): ActionDraft => ({ type, text: "", userId: "", tag: "" });

/** A new rule runs after the existing ones unless moved. */
export function blankRuleForm(nextPriority: number): RuleForm {
  return {
    name: "",
    enabled: false,
    priority: nextPriority,
    channels: [],
    kinds: "comments",
    any: [],
    all: [],
    none: [],
    useRegex: false,
    regexPattern: "",
    regexIgnoreCase: true,
    actions: [blankAction("reply")],
    cooldownMinutes: "0",
    useQuietHours: false,
    quietFrom: "22:00",
    quietTo: "07:00",
    stopAfterMatch: false,
  };
}

export function ruleToForm(rule: Rule): RuleForm {
  const { conditions } = rule;
  const kinds: KindChoice = conditions.kinds.length === 1 ? (conditions.kinds[0] ?? "comments") : "both";
  return {
    name: rule.name,
    enabled: rule.enabled,
    priority: rule.priority,
    channels: [...conditions.channels],
    kinds,
    any: [...conditions.keywords.any],
    all: [...conditions.keywords.all],
    none: [...conditions.keywords.none],
    useRegex: conditions.regex !== null,
    regexPattern: conditions.regex?.pattern ?? "",
    regexIgnoreCase: conditions.regex ? conditions.regex.flags.includes("i") : true,
    actions: rule.actions.map((action) => ({
      ...blankAction(action.type),
      ...("text" in action ? { text: action.text } : {}),
      ...(action.type === "assign" ? { userId: action.userId } : {}),
      ...(action.type === "tag" ? { tag: action.tag } : {}),
    })),
    cooldownMinutes: String(Math.round(rule.cooldownSeconds / 60)),
    useQuietHours: rule.quietHours !== null,
    quietFrom: rule.quietHours?.from ?? "22:00",
    quietTo: rule.quietHours?.to ?? "07:00",
    stopAfterMatch: rule.stopAfterMatch,
  };
}

function actionInput(draft: ActionDraft): z.input<typeof RuleInput>["actions"][number] {
  switch (draft.type) {
    case "reply":
    case "private_reply":
    case "dm":
      return { type: draft.type, text: draft.text };
    case "like":
    case "hide":
      return { type: draft.type };
    case "assign":
      return { type: "assign", userId: draft.userId };
    case "tag":
      return { type: "tag", tag: draft.tag };
  }
}

/**
 * The body sent to the API. Nothing is validated here: the server's sentences are the ones shown, at
 * their fields (see `fieldFor`). A cooldown that is not a whole number is sent as NaN minutes → -1, which
 * the server refuses at `cooldownSeconds` rather than being silently read as 0.
 */
export function formToInput(form: RuleForm): z.input<typeof RuleInput> {
  const minutes = form.cooldownMinutes.trim() === "" ? 0 : Number(form.cooldownMinutes);
  return {
    name: form.name,
    enabled: form.enabled,
    priority: form.priority,
    stopAfterMatch: form.stopAfterMatch,
    cooldownSeconds: Number.isFinite(minutes) ? Math.round(minutes * 60) : -1,
    quietHours: form.useQuietHours ? { from: form.quietFrom, to: form.quietTo } : null,
    conditions: {
      channels: form.channels,
      kinds: form.kinds === "both" ? [] : [form.kinds],
      keywords: { any: form.any, all: form.all, none: form.none },
      regex: form.useRegex ? { pattern: form.regexPattern, flags: form.regexIgnoreCase ? "i" : "" } : null,
    },
    actions: form.actions.map(actionInput),
  };
}

/** The form's fields that can carry an error; `actions.N` is one action row. */
export type FormField = "name" | "priority" | "channels" | "kinds" | "any" | "all" | "none" | "regex" | "actions" | "cooldown" | "quietHours" | "form" | `actions.${number}`;

/**
 * Where a server field error belongs in the form. Dry runs of unsaved rules report under `rule.`;
 * anything not recognised goes to the form-level alert so no sentence is lost.
 */
export function fieldFor(path: string): FormField {
  const p = path.startsWith("rule.") ? path.slice("rule.".length) : path;
  const action = /^actions\.(\d+)(\.|$)/.exec(p);
  if (action) return `actions.${Number(action[1])}`;
  if (p === "actions") return "actions";
  if (p === "name" || p === "priority") return p;
  if (p === "cooldownSeconds") return "cooldown";
  if (p.startsWith("quietHours")) return "quietHours";
  if (p.startsWith("conditions.channels")) return "channels";
  if (p.startsWith("conditions.kinds")) return "kinds";
  if (p.startsWith("conditions.regex")) return "regex";
  const keywords = /^conditions\.keywords\.(any|all|none)/.exec(p);
  if (keywords) return keywords[1] as "any" | "all" | "none";
  return "form";
}

/** Server errors grouped by form field, first message per field (several on one field read as noise). */
export function errorsByField(errors: readonly { path: string; message: string }[]): Partial<Record<FormField, string>> {
  const out: Partial<Record<FormField, string>> = {};
  for (const e of errors) {
    const field = fieldFor(e.path);
    if (out[field] === undefined) out[field] = e.message;
  }
  return out;
}

/**
 * Splits what a person typed into a tag input into keywords: commas and new lines separate, blanks
 * drop, duplicates (ignoring case) keep their first spelling.
 */
export function addKeywords(existing: readonly string[], typed: string): string[] {
  const out = [...existing];
  for (const word of typed.split(/[,\n]/).map((w) => w.trim())) {
    if (word && !out.some((w) => w.toLowerCase() === word.toLowerCase())) out.push(word);
  }
  return out;
}

/**
 * Priorities after moving the rule at `index` one place up or down: the list is renumbered 10, 20, 30…
 * so equal priorities (ordered by creation on the server) become explicit. Returns only rules whose
 * priority changes, for one PATCH each.
 */
export function reorder(rules: readonly Pick<Rule, "id" | "priority">[], index: number, direction: -1 | 1): { id: string; priority: number }[] {
  const target = index + direction;
  if (index < 0 || target < 0 || index >= rules.length || target >= rules.length) return [];
  const order = [...rules];
  const [moved] = order.splice(index, 1);
  if (!moved) return [];
  order.splice(target, 0, moved);
  return order.flatMap((rule, i) => (rule.priority === (i + 1) * 10 ? [] : [{ id: rule.id, priority: (i + 1) * 10 }]));
}

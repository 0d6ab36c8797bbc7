import type { z } from "zod";
import { DryRunResult, Rule, RuleHitList, RuleList, type DryRunBody, type RuleInput, type RulePatch } from "../../../../worker/contracts/inbox-rules.ts";
import { api } from "../../api/http.ts";
import { parseWith } from "../../api/parse.ts";

const base = (id: string) => `/api/workspaces/${encodeURIComponent(id)}/inbox/rules`;
const one = (id: string, ruleId: string) => `${base(id)}/${encodeURIComponent(ruleId)}`;

/** The auto-reply rules API (worker/routes/inbox-rules.ts). */
export const rulesApi = {
  list: async (id: string, signal?: AbortSignal) => parseWith(RuleList, await api.get<unknown>(base(id), { signal })).rules,
  create: async (id: string, body: z.input<typeof RuleInput>) => parseWith(Rule, await api.post<unknown>(base(id), body)),
  patch: async (id: string, ruleId: string, body: z.input<typeof RulePatch>) => parseWith(Rule, await api.patch<unknown>(one(id, ruleId), body)),
  remove: (id: string, ruleId: string) => api.delete<unknown>(one(id, ruleId)),
  dryRun: async (id: string, body: z.input<typeof DryRunBody>) => parseWith(DryRunResult, await api.post<unknown>(`${base(id)}/dry-run`, body)),
  hits: async (id: string, ruleId: string, limit = 50) => parseWith(RuleHitList, await api.get<unknown>(`${one(id, ruleId)}/hits`, { query: { limit } })).hits,
};

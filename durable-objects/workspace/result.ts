import type { Problem } from "../../worker/contracts/common";

/**
 * RPC keeps only an error's name and message, so expected failures come back as values. Unexpected
 * ones still throw and are logged by the caller.
 */
export type Result<T> = { ok: true; value: T } | { ok: false; problem: Problem };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const refused = (detail: string): Result<never> => ({ ok: false, problem: { type: "/problems/validation", title: "Refused by the workspace hub", status: 400, detail } });

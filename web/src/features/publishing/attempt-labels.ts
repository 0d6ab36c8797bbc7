import type { AttemptOutcome, AttemptStep } from "../../../../worker/publishing/states.ts";

/** The engine's step names in a person's words. */
export const STEP_LABEL: Record<AttemptStep, string> = {
  prepare: "Prepare",
  commit: "Go live",
  reconcile: "Check platform",
  after_publish: "After publishing",
  delete: "Delete",
};

export const OUTCOME_LABEL: Record<AttemptOutcome, string> = {
  ok: "Done",
  waiting: "Platform still processing",
  retry: "Will retry",
  refresh: "Token refreshed",
  reauth: "Needs reconnect",
  rejected: "Rejected",
  uncertain: "No answer",
  published: "Found live",
  not_published: "Not found",
  unknown: "Can't tell",
  skipped: "Skipped",
};

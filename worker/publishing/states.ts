/**
 * The publish ledger's vocabulary (ARCHITECTURE.md §2). Plain data, shared by the schema, the API
 * contracts and the UI.
 *
 *   draft ─▶ scheduled ─▶ preparing ─▶ ready ─▶ committing ─▶ published
 *              │             │                     │
 *              └─ cancelled  ├─▶ failed            ├─▶ unconfirmed ─(reconcile)─▶ published | failed
 *                            └─▶ needs_reconnect   └─▶ failed (rejected, with the platform's reason)
 */
export const TARGET_STATES = ["draft", "scheduled", "preparing", "ready", "committing", "published", "failed", "needs_reconnect", "unconfirmed", "cancelled"] as const;
export type TargetState = (typeof TARGET_STATES)[number];

/** States the engine still has to drive; every other state waits for a person. */
export const ACTIVE_STATES = ["scheduled", "preparing", "ready", "committing"] as const satisfies readonly TargetState[];
/** States a person may send back to the engine ("Retry"). */
export const RETRYABLE_STATES = ["failed", "needs_reconnect", "unconfirmed"] as const satisfies readonly TargetState[];
/** States in which nothing can have reached the platform yet, so the target may still be edited or cancelled. */
export const EDITABLE_STATES = ["draft", "scheduled", "preparing", "ready", "failed", "needs_reconnect", "cancelled"] as const satisfies readonly TargetState[];

export function isActive(state: TargetState): boolean {
  return (ACTIVE_STATES as readonly string[]).includes(state);
}

export const ATTEMPT_STEPS = ["prepare", "commit", "reconcile", "after_publish", "delete"] as const;
export type AttemptStep = (typeof ATTEMPT_STEPS)[number];

/**
 * `ok` step done; `waiting` platform still processing (polled again); `retry` transient failure;
 * `refresh` token refreshed and retried; `reauth` the channel needs reconnecting; `rejected` the
 * platform refused the content; `uncertain` the go-live call's answer was lost; `published`,
 * `not_published`, `unknown` what a reconcile found; `skipped` stale or already handled.
 */
export const ATTEMPT_OUTCOMES = ["ok", "waiting", "retry", "refresh", "reauth", "rejected", "uncertain", "published", "not_published", "unknown", "skipped"] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

export const NOTIFICATION_KINDS = ["publish_failed", "needs_reconnect", "unconfirmed"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

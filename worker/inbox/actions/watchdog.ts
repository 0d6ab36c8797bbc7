import type { InboxDeps } from "../deps";
import { strandedActions } from "./ledger";

const SCAN_LIMIT = 200;

/**
 * Every minute, with the publishing watchdog: a pending reply, like or message whose queue message
 * was lost (or whose consumer died holding it) is handed to the queue again. The runner's rules make
 * that safe: it claims by lease, and one that finds the commit marker asks the platform instead of
 * acting twice. Each redrive counts as a delivery, so an action that never gets through still ends
 * failed with a reason.
 */
export async function redriveStrandedActions(deps: Pick<InboxDeps, "db" | "now" | "enqueueAction">): Promise<number> {
  const stranded = await strandedActions(deps.db, deps.now(), SCAN_LIMIT);
  for (const action of stranded) await deps.enqueueAction({ v: 1, kind: "inbox.action", workspaceId: action.workspaceId, actionId: action.id });
  return stranded.length;
}

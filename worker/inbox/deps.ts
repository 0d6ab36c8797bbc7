import type { LiveEvent } from "../contracts/live";
import type { Database } from "../db/client";

/**
 * What inbox code needs from the outside, injected so tests drive it with their clock and capture
 * what it sends: the inbound consumer, the rules, the actions and the routes all take these.
 */
export type InboxDeps = {
  env: Env;
  db: Database;
  now: () => number;
  /**
   * Pushes sequenced events to the workspace's hub (failures logged, never fatal). Events passed
   * together are numbered in order and reach every socket as one frame.
   */
  live: (workspaceId: string, ...events: LiveEvent[]) => Promise<void>;
  /** Hands an outbound action to the publish queue (`inbox.action` messages; worker/inbox/messages.ts). */
  enqueueAction: (message: InboxActionMessage) => Promise<void>;
};

export type InboxActionMessage = { v: 1; kind: "inbox.action"; workspaceId: string; actionId: string };

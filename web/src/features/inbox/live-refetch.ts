import type { WorkspaceSignal } from "../workspaces/workspace-context.tsx";

/** The conversation an inbox signal concerns, or null when it is not an inbox signal. */
export function inboxSignalConversation(signal: WorkspaceSignal): string | null {
  switch (signal.kind) {
    case "conversation.changed":
    case "message.changed":
    case "inbox.action.changed":
    case "note.added":
      return signal.conversationId;
    default:
      return null;
  }
}

/**
 * Coalesces refetch requests: a burst of events (one webhook batch can touch many conversations)
 * causes one request at the end of a short quiet period, not one per event.
 */
export class Coalescer {
  private timer: ReturnType<typeof setTimeout> | undefined;
  constructor(
    private readonly run: () => void,
    private readonly delayMs = 120,
  ) {}
  request(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(this.run, this.delayMs);
  }
  cancel(): void {
    clearTimeout(this.timer);
  }
}

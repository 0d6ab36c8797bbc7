import { useEffect, useState } from "preact/hooks";
import { inboxChannel, TYPING_TTL_MS, type InboxChannel } from "../../live/inbox-channel.ts";

/**
 * Re-renders when inbox presence changes, and once more when a typing signal can have expired
 * (the hub does not announce expiry; see TYPING_TTL_MS).
 */
export function useInboxPresence(workspaceId: string): InboxChannel {
  const channel = inboxChannel(workspaceId);
  const [, setVersion] = useState(0);
  useEffect(() => {
    let expiry: ReturnType<typeof setTimeout> | undefined;
    const bump = () => {
      setVersion((v) => v + 1);
      clearTimeout(expiry);
      expiry = setTimeout(() => setVersion((v) => v + 1), TYPING_TTL_MS + 50);
    };
    const unsubscribe = channel.subscribe(bump);
    return () => {
      unsubscribe();
      clearTimeout(expiry);
    };
  }, [channel]);
  return channel;
}

/** Tells the hub which conversation this tab shows, and that it shows none when the pane closes. */
export function useViewing(workspaceId: string, conversationId: string | null): void {
  useEffect(() => {
    const channel = inboxChannel(workspaceId);
    channel.view(conversationId);
    return () => channel.view(null);
  }, [workspaceId, conversationId]);
}

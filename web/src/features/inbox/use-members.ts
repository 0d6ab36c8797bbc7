import { useCallback, useEffect, useState } from "preact/hooks";
import type { Member } from "../../../../worker/contracts/workspaces.ts";
import { teamApi } from "../../api/workspaces.ts";
import { useWorkspaceSignals } from "../workspaces/workspace-context.tsx";

/** Members for the assignee picker and for naming viewers; a failure leaves names as "A teammate". */
export function useMembers(workspaceId: string) {
  const [members, setMembers] = useState<Member[]>([]);
  const load = useCallback(async () => {
    try {
      setMembers(await teamApi.members(workspaceId));
    } catch {
      // Names are a nicety here; the inbox works without them.
    }
  }, [workspaceId]);
  useEffect(() => void load(), [load]);
  useWorkspaceSignals((s) => {
    if (s.kind === "member.added" || s.kind === "member.removed" || s.kind === "resync") void load();
  });
  return members;
}

import { useCallback, useEffect, useState } from "preact/hooks";
import type { AuditEntry, Workspace } from "../../../../worker/contracts/workspaces.ts";
import { toApiError } from "../../api/problem.ts";
import { workspacesApi } from "../../api/workspaces.ts";
import { FormAlert, StatusMessage } from "../../ui/alert.tsx";
import { Avatar } from "../../ui/avatar.tsx";
import { Button } from "../../ui/button.tsx";
import { Loading } from "../../ui/loading.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { DualTime } from "../../ui/time.tsx";
import { WorkspaceGate } from "../workspaces/workspace-gate.tsx";
import { describeAction } from "./audit-actions.ts";

const PAGE = 50;

function Audit({ workspace }: { workspace: Workspace }) {
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState("");

  const load = useCallback(
    async (before?: string) => {
      setLoading(true);
      setError(null);
      try {
        const page = await workspacesApi.audit(workspace.id, before, PAGE);
        setEntries((prev) => (before && prev ? [...prev, ...page.entries] : page.entries));
        setCursor(page.nextCursor);
        if (before) setStatus(`Loaded ${page.entries.length} more entries.`);
      } catch (e) {
        setError(toApiError(e).problem.detail);
      } finally {
        setLoading(false);
      }
    },
    [workspace.id],
  );

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section class="page">
      <PageHeading title={`Audit log · ${workspace.name}`} subtitle="Every change to members, invites and settings, newest first.">
        Audit log
      </PageHeading>
      <FormAlert>{error}</FormAlert>
      {entries === null ? (
        loading && <Loading label="Loading audit log…" />
      ) : entries.length === 0 ? (
        <p class="card muted">Nothing has been recorded yet.</p>
      ) : (
        <div class="table-wrap card">
          <table class="table">
            <caption class="visually-hidden">Audit log entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>
                    <DualTime at={e.at} workspaceZone={workspace.timezone} />
                  </td>
                  <td>
                    {e.actor ? (
                      <span class="actor">
                        <Avatar name={e.actor.name} src={e.actor.avatarUrl} size="sm" label="" />
                        {e.actor.name}
                      </span>
                    ) : (
                      <span class="muted">System</span>
                    )}
                  </td>
                  <td>
                    <span>{describeAction(e)}</span>
                    <code class="action-code">{e.action}</code>
                  </td>
                  <td class="muted small" title={e.userAgent ?? undefined}>
                    {e.ip ?? "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <StatusMessage tone="info">{status}</StatusMessage>
      {cursor && (
        <div class="row center">
          <Button busy={loading} onClick={() => void load(cursor)}>
            Load more
          </Button>
        </div>
      )}
    </section>
  );
}

export default function AuditPage() {
  return <WorkspaceGate manage>{(workspace) => <Audit workspace={workspace} />}</WorkspaceGate>;
}

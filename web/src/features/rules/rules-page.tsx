import { useEffect, useMemo, useState } from "preact/hooks";
import type { Connection } from "../../../../worker/contracts/connections.ts";
import type { ListedRule, Rule } from "../../../../worker/contracts/inbox-rules.ts";
import type { Workspace } from "../../../../worker/contracts/workspaces.ts";
import { hasAtLeast } from "../../../../worker/domain/roles.ts";
import { connectionsApi } from "../../api/connections.ts";
import { toApiError } from "../../api/problem.ts";
import { FormAlert, StatusMessage } from "../../ui/alert.tsx";
import { Button } from "../../ui/button.tsx";
import { Dialog } from "../../ui/dialog.tsx";
import { Loading } from "../../ui/loading.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { Coalescer } from "../inbox/live-refetch.ts";
import { SavedRepliesManager } from "../inbox/saved-replies-manager.tsx";
import { useMembers } from "../inbox/use-members.ts";
import { useWorkspaceSignals } from "../workspaces/workspace-context.tsx";
import { WorkspaceGate } from "../workspaces/workspace-gate.tsx";
import { HitLog } from "./hit-log.tsx";
import { RuleEditor } from "./rule-editor.tsx";
import { reorder } from "./rule-form.ts";
import { RuleRow } from "./rule-row.tsx";
import { rulesApi } from "./rules-api.ts";
import "./rules.css";

type Editing = { rule: Rule | null } | null;

function Rules({ workspace }: { workspace: Workspace }) {
  const [rules, setRules] = useState<ListedRule[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const [editing, setEditing] = useState<Editing>(null);
  const [hitsFor, setHitsFor] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Rule | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [hitsVersion, setHitsVersion] = useState(0);
  const [connections, setConnections] = useState<Connection[]>([]);
  const members = useMembers(workspace.id);
  const canEdit = hasAtLeast(workspace.role, "editor");

  const load = async () => {
    try {
      setRules(await rulesApi.list(workspace.id));
      setError(null);
    } catch (err) {
      setError(toApiError(err).problem.detail);
    }
  };
  useEffect(() => {
    void load();
    connectionsApi.list(workspace.id).then(setConnections, () => setConnections([]));
  }, [workspace.id]);

  // Rules act in the background: inbox events may mean new hits, so the list (with its counts) and
  // an open log refresh, at most every half second.
  const coalescer = useMemo(
    () =>
      new Coalescer(() => {
        setHitsVersion((v) => v + 1);
        void load();
      }, 500),
    [],
  );
  useEffect(() => () => coalescer.cancel(), [coalescer]);
  useWorkspaceSignals((s) => {
    if (s.kind === "inbox.action.changed" || s.kind === "message.changed" || s.kind === "resync") coalescer.request();
  });

  const names = useMemo(
    () => ({ channels: new Map(connections.map((c) => [c.id, { name: c.name, platform: c.platform }])), members: new Map(members.map((m) => [m.userId, m.name])) }),
    [connections, members],
  );
  const nextPriority = rules && rules.length > 0 ? Math.max(...rules.map((r) => r.priority)) + 10 : 10;

  const change = async (rule: Rule, run: () => Promise<unknown>, done: string) => {
    setBusyId(rule.id);
    setError(null);
    try {
      await run();
      setStatus(done);
    } catch (err) {
      setError(toApiError(err).problem.detail);
    } finally {
      setBusyId(null);
      await load();
    }
  };

  const move = (index: number, direction: -1 | 1) => {
    const list = rules ?? [];
    const rule = list[index];
    if (!rule) return;
    void change(rule, () => Promise.all(reorder(list, index, direction).map((p) => rulesApi.patch(workspace.id, p.id, { priority: p.priority }))), `Moved “${rule.name}” ${direction < 0 ? "up" : "down"}.`).then(() =>
      requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-rule-id="${rule.id}"] [aria-label^="Move"]:not([disabled])`)?.focus()),
    );
  };

  const closeEditor = () => {
    setEditing(null);
    // Back to where the editor was opened from: the "New rule" button reappears in its place.
    requestAnimationFrame(() => document.querySelector<HTMLElement>(".rules-new")?.focus());
  };

  return (
    <section class="page rules-page">
      <PageHeading title={`Auto-reply rules · ${workspace.name}`} subtitle="Rules answer, like, hide, tag or assign new comments and messages as they arrive, top rule first.">
        Auto-reply rules
      </PageHeading>
      <FormAlert>{error}</FormAlert>
      <StatusMessage>{status}</StatusMessage>
      {canEdit && !editing && (
        <Button class="rules-new" variant="primary" onClick={() => setEditing({ rule: null })}>
          New rule
        </Button>
      )}
      {editing && (
        <RuleEditor
          key={editing.rule?.id ?? "new"}
          workspaceId={workspace.id}
          rule={editing.rule}
          nextPriority={nextPriority}
          connections={connections}
          members={members}
          onCancel={closeEditor}
          onSaved={(saved) => {
            setStatus(`Saved “${saved.name}”${saved.enabled ? "; it is on" : "; it is off until you turn it on"}.`);
            closeEditor();
            void load();
          }}
        />
      )}
      {!rules ? (
        !error && <Loading label="Loading rules…" />
      ) : rules.length === 0 ? (
        <p class="card empty-note">No rules yet. A rule can, for example, reply to every comment that asks for a price.</p>
      ) : (
        <ol class="rules-list" aria-label="Rules, in the order they run">
          {rules.map((rule, index) => (
            <RuleRow
              key={rule.id}
              rule={rule}
              position={index}
              total={rules.length}
              names={names}
              hits={rule.hits}
              canEdit={canEdit}
              hitsOpen={hitsFor === rule.id}
              busy={busyId !== null}
              onToggle={(enabled) => {
                // The switch moves at once; a refusal puts it back when the list reloads.
                setRules((list) => list && list.map((r) => (r.id === rule.id ? { ...r, enabled } : r)));
                void change(rule, () => rulesApi.patch(workspace.id, rule.id, { enabled }), `“${rule.name}” is ${enabled ? "on" : "off"}.`);
              }}
              onMove={(direction) => move(index, direction)}
              onEdit={() => setEditing({ rule })}
              onHits={() => setHitsFor(hitsFor === rule.id ? null : rule.id)}
              onDelete={() => setDeleting(rule)}
            >
              {hitsFor === rule.id && <HitLog workspaceId={workspace.id} ruleId={rule.id} ruleName={rule.name} version={hitsVersion} />}
            </RuleRow>
          ))}
        </ol>
      )}
      <SavedRepliesManager workspaceId={workspace.id} canEdit={hasAtLeast(workspace.role, "contributor")} />
      <Dialog open={deleting !== null} onClose={() => setDeleting(null)} title={`Delete “${deleting?.name ?? ""}”?`}>
        <p>The rule and its hit log are deleted. Replies it already sent stay.</p>
        <div class="row">
          <Button
            variant="danger"
            onClick={() => {
              const rule = deleting;
              setDeleting(null);
              if (rule) void change(rule, () => rulesApi.remove(workspace.id, rule.id), `Deleted “${rule.name}”.`);
            }}
          >
            Delete rule
          </Button>
          <Button onClick={() => setDeleting(null)}>Keep it</Button>
        </div>
      </Dialog>
    </section>
  );
}

export default function RulesPage() {
  return <WorkspaceGate>{(workspace) => <Rules workspace={workspace} />}</WorkspaceGate>;
}

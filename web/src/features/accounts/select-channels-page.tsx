import { useLocation, useRoute } from "preact-iso";
import { useEffect, useRef, useState } from "preact/hooks";
import type { PendingGrant } from "../../../../worker/contracts/connections.ts";
import type { Workspace } from "../../../../worker/contracts/workspaces.ts";
import { connectionsApi } from "../../api/connections.ts";
import { type ApiError, toApiError } from "../../api/problem.ts";
import { useSubmit } from "../../forms/use-submit.ts";
import { FormAlert } from "../../ui/alert.tsx";
import { Avatar } from "../../ui/avatar.tsx";
import { Badge } from "../../ui/badge.tsx";
import { Button, LinkButton } from "../../ui/button.tsx";
import { Loading } from "../../ui/loading.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { formatRelative } from "../../ui/time.tsx";
import { WorkspaceGate } from "../workspaces/workspace-gate.tsx";
import { KIND_LABEL } from "./channel-labels.ts";
import { PlatformMark } from "./platform-mark.tsx";

type Candidate = PendingGrant["candidates"][number];

function CandidateOption({ candidate: c, checked, onToggle }: { candidate: Candidate; checked: boolean; onToggle: (id: string, on: boolean) => void }) {
  return (
    <li>
      <label class="candidate">
        <input type="checkbox" name="externalId" value={c.externalId} checked={checked} onChange={(e) => onToggle(c.externalId, e.currentTarget.checked)} />
        <Avatar name={c.name} src={c.avatarUrl} label="" />
        <span class="candidate-text">
          <span class="channel-name">{c.name}</span>
          <span class="muted small">
            {c.handle && `@${c.handle.replace(/^@/, "")} · `}
            {KIND_LABEL[c.kind]}
          </span>
        </span>
        {c.alreadyConnected && <Badge>Already connected</Badge>}
      </label>
    </li>
  );
}

/** A select-all box that shows "some" as indeterminate (a DOM property, not an attribute). */
function SelectAll({ total, selected, onChange }: { total: number; selected: number; onChange: (all: boolean) => void }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = selected > 0 && selected < total;
  }, [selected, total]);
  return (
    <div class="candidate-all">
      <label>
        <input ref={ref} type="checkbox" checked={selected === total} onChange={(e) => onChange(e.currentTarget.checked)} />
        Select all
      </label>
      <span class="muted small" aria-live="polite">
        {selected} of {total} selected
      </span>
    </div>
  );
}

function Selection({ workspace, grant }: { workspace: Workspace; grant: PendingGrant }) {
  const { route } = useLocation();
  const form = useSubmit();
  // New channels start ticked; already-connected ones can be ticked to refresh their access.
  const [chosen, setChosen] = useState(() => new Set(grant.candidates.filter((c) => !c.alreadyConnected).map((c) => c.externalId)));
  const [localError, setLocalError] = useState<string | null>(null);
  const toggle = (id: string, on: boolean) => {
    setLocalError(null);
    setChosen((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  };
  const onSubmit = (e: Event) => {
    e.preventDefault();
    if (chosen.size === 0) {
      setLocalError("Choose at least one account to add.");
      return;
    }
    void form.submit(async () => {
      const added = await connectionsApi.select(workspace.id, grant.id, [...chosen]);
      route(`/w/${encodeURIComponent(workspace.id)}/accounts?connect=connected&count=${added.length}`, true);
    });
  };
  return (
    <form ref={form.formRef} onSubmit={onSubmit} noValidate class="card stack">
      <FormAlert alertRef={form.alertRef}>{form.problem?.detail}</FormAlert>
      <fieldset class="candidates" aria-describedby={localError ? "candidates-error" : undefined}>
        <legend>Accounts {grant.account.name} manages</legend>
        <SelectAll
          total={grant.candidates.length}
          selected={chosen.size}
          onChange={(all) => {
            setLocalError(null);
            setChosen(new Set(all ? grant.candidates.map((c) => c.externalId) : []));
          }}
        />
        <ul class="candidate-list">
          {grant.candidates.map((c) => (
            <CandidateOption key={c.externalId} candidate={c} checked={chosen.has(c.externalId)} onToggle={toggle} />
          ))}
        </ul>
        {localError && (
          <p id="candidates-error" class="field-error" role="alert">
            <span aria-hidden="true">⚠ </span>
            {localError}
          </p>
        )}
      </fieldset>
      <p class="muted small">
        This choice expires <time dateTime={grant.expiresAt}>{formatRelative(grant.expiresAt)}</time>. After that, connect again from Accounts.
      </p>
      <div class="row">
        <Button type="submit" variant="primary" busy={form.pending}>
          {form.pending ? "Adding…" : chosen.size > 0 ? `Add selected (${chosen.size})` : "Add selected"}
        </Button>
        <LinkButton href={`/w/${encodeURIComponent(workspace.id)}/accounts`} variant="ghost">
          Cancel
        </LinkButton>
      </div>
    </form>
  );
}

function SelectChannels({ workspace }: { workspace: Workspace }) {
  const { params } = useRoute();
  const grantId = params.grantId ?? "";
  const [grant, setGrant] = useState<PendingGrant | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    connectionsApi.pending(workspace.id, grantId).then(setGrant, (e: unknown) => setError(toApiError(e)));
  }, [workspace.id, grantId]);

  const back = `/w/${encodeURIComponent(workspace.id)}/accounts`;
  return (
    <section class="page narrow">
      <div class="workspace-title">
        {grant && <PlatformMark platform={grant.platform} />}
        <PageHeading title={`Choose accounts · ${workspace.name}`} subtitle="Pick the accounts this workspace should publish to. You can add the others later.">
          Choose accounts to add
        </PageHeading>
      </div>
      {error ? (
        <div class="stack">
          <FormAlert>
            {error.status === 404 || error.status === 410
              ? "This choice has expired or was already made. Connect the platform again from Accounts."
              : error.problem.detail}
          </FormAlert>
          <div>
            <LinkButton href={back} variant="primary">
              Back to Accounts
            </LinkButton>
          </div>
        </div>
      ) : grant ? (
        <Selection workspace={workspace} grant={grant} />
      ) : (
        <Loading label="Loading the accounts you can add…" />
      )}
    </section>
  );
}

export default function SelectChannelsPage() {
  return <WorkspaceGate manage>{(workspace) => <SelectChannels workspace={workspace} />}</WorkspaceGate>;
}

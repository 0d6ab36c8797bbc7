import { useRef, useState } from "preact/hooks";
import type { Role } from "../../../../worker/contracts/common.ts";
import type { CreatedInvite, Workspace } from "../../../../worker/contracts/workspaces.ts";
import { teamApi } from "../../api/workspaces.ts";
import { formValues, useSubmit } from "../../forms/use-submit.ts";
import { FormAlert, StatusMessage } from "../../ui/alert.tsx";
import { Button } from "../../ui/button.tsx";
import { Select, TextInput } from "../../ui/field.tsx";
import { ROLE_DESCRIPTION, ROLE_LABEL, assignableRoles } from "../workspaces/roles.ts";

type InvitableRole = Exclude<Role, "owner">;

function CreatedLink({ created, onDone }: { created: CreatedInvite; onDone: () => void }) {
  const [copied, setCopied] = useState<string>("");
  const input = useRef<HTMLInputElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.url);
      setCopied("Link copied to the clipboard.");
    } catch {
      input.current?.select();
      setCopied("Copying was blocked: the link is selected, press Ctrl+C (⌘C) to copy it.");
    }
  };
  return (
    <div class="created-invite" role="group" aria-labelledby="created-invite-title">
      <h3 id="created-invite-title">Invite link ready</h3>
      <p>
        <strong>This link is shown only once.</strong> Copy it now and send it to{" "}
        {created.invite.email ?? "your teammate"}; they join as {ROLE_LABEL[created.invite.role]}.
      </p>
      <div class="copy-row">
        <TextInput label="Invite link" name="invite-url" value={created.url} readOnly ref={input} onFocus={(e) => e.currentTarget.select()} />
        <Button variant="primary" onClick={() => void copy()}>
          Copy link
        </Button>
      </div>
      <StatusMessage>{copied}</StatusMessage>
      <Button variant="ghost" size="sm" onClick={onDone}>
        Done
      </Button>
    </div>
  );
}

export function InviteForm({ workspace, onCreated }: { workspace: Workspace; onCreated: () => void }) {
  const form = useSubmit();
  const [created, setCreated] = useState<CreatedInvite | null>(null);
  const roles = assignableRoles(workspace.role).filter((r): r is InvitableRole => r !== "owner");

  const onSubmit = (e: Event) => {
    e.preventDefault();
    const el = e.currentTarget as HTMLFormElement;
    const v = formValues(el);
    void form.submit(async () => {
      const email = v.email?.trim();
      const result = await teamApi.createInvite(workspace.id, {
        role: (v.role ?? "editor") as InvitableRole,
        ...(email ? { email } : {}),
      });
      setCreated(result);
      el.reset();
      onCreated();
    });
  };

  return (
    <section class="card stack" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite people</h2>
      {created ? (
        <CreatedLink created={created} onDone={() => setCreated(null)} />
      ) : (
        <form ref={form.formRef} onSubmit={onSubmit} onInput={form.onInput} noValidate class="stack">
          <FormAlert alertRef={form.alertRef}>{form.problem?.detail}</FormAlert>
          <div class="invite-fields">
            <Select
              label="Role"
              name="role"
              defaultValue="editor"
              options={roles.map((r) => ({ value: r, label: ROLE_LABEL[r] }))}
              error={form.errors.role}
            />
            <TextInput
              label="Email (optional)"
              name="email"
              type="email"
              autoComplete="off"
              placeholder="name@example.com"
              hint="When set, only this person can use the link."
              error={form.errors.email}
            />
          </div>
          <details class="role-help">
            <summary>What can each role do?</summary>
            <dl>
              {roles.map((r) => (
                <div key={r}>
                  <dt>{ROLE_LABEL[r]}</dt>
                  <dd>{ROLE_DESCRIPTION[r]}</dd>
                </div>
              ))}
            </dl>
          </details>
          <div class="row">
            <Button type="submit" variant="primary" busy={form.pending}>
              {form.pending ? "Creating link…" : "Create invite link"}
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}

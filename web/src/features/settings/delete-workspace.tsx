import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import type { Workspace } from "../../../../worker/contracts/workspaces.ts";
import { workspacesApi } from "../../api/workspaces.ts";
import { useSubmit } from "../../forms/use-submit.ts";
import { FormAlert } from "../../ui/alert.tsx";
import { Button } from "../../ui/button.tsx";
import { Dialog } from "../../ui/dialog.tsx";
import { TextInput } from "../../ui/field.tsx";
import { forgetWorkspace } from "../workspaces/last-workspace.ts";

/** Deleting needs the workspace's name typed exactly, so it can't happen by a stray click. */
export function DeleteWorkspace({ workspace }: { workspace: Workspace }) {
  const { route } = useLocation();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const form = useSubmit();
  const matches = typed.trim() === workspace.name;

  const onSubmit = (e: Event) => {
    e.preventDefault();
    if (!matches) return;
    void form.submit(async () => {
      await workspacesApi.remove(workspace.id);
      forgetWorkspace(workspace.id);
      route("/", true);
    });
  };

  return (
    <section class="card danger-zone" aria-labelledby="delete-heading">
      <h2 id="delete-heading">Delete workspace</h2>
      <p class="muted">Deletes {workspace.name} with its team, invites and history for everyone. This cannot be undone.</p>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Delete workspace…
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Delete ${workspace.name}?`}>
        <form ref={form.formRef} onSubmit={onSubmit} noValidate class="stack">
          <FormAlert alertRef={form.alertRef}>{form.problem?.detail}</FormAlert>
          <p>Everyone loses access immediately. Type the workspace name to confirm.</p>
          <TextInput
            label={`Type “${workspace.name}” to confirm`}
            name="confirm"
            autoComplete="off"
            value={typed}
            onInput={(e) => setTyped(e.currentTarget.value)}
          />
          <div class="dialog-actions">
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <Button type="submit" variant="danger" disabled={!matches} busy={form.pending}>
              Delete forever
            </Button>
          </div>
        </form>
      </Dialog>
    </section>
  );
}

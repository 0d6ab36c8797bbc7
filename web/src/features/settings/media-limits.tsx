import { useState } from "preact/hooks";
import type { Workspace } from "../../../../worker/contracts/workspaces.ts";
import { workspacesApi } from "../../api/workspaces.ts";
import { formValues, useSubmit } from "../../forms/use-submit.ts";
import { FormAlert, StatusMessage } from "../../ui/alert.tsx";
import { Button } from "../../ui/button.tsx";
import { TextInput } from "../../ui/field.tsx";

const MB = 1024 * 1024;
const GB = 1024 * MB;

/** A number typed by a person ("2", "1.5", "2,5") in the given unit → whole bytes, or NaN. */
function toBytes(text: string | undefined, unit: number): number {
  const value = Number((text ?? "").trim().replace(",", "."));
  return Number.isFinite(value) ? Math.round(value * unit) : Number.NaN;
}

const show = (bytes: number, unit: number) => String(Math.round((bytes / unit) * 100) / 100);

/** Owners and admins set how large one upload may be and how much the whole library may hold. */
export function MediaLimits({ workspace, onSaved }: { workspace: Workspace; onSaved: (w: Workspace) => void }) {
  const form = useSubmit();
  const [saved, setSaved] = useState("");
  const onSubmit = (e: Event) => {
    e.preventDefault();
    const v = formValues(e.currentTarget as HTMLFormElement);
    setSaved("");
    void form.submit(async () => {
      const updated = await workspacesApi.update(workspace.id, {
        mediaMaxFileBytes: toBytes(v.mediaMaxFileBytes, MB),
        mediaQuotaBytes: toBytes(v.mediaQuotaBytes, GB),
      });
      onSaved(updated);
      setSaved("Media limits saved.");
    });
  };
  return (
    <form ref={form.formRef} onSubmit={onSubmit} onInput={form.onInput} noValidate class="card stack" aria-labelledby="limits-heading">
      <h2 id="limits-heading">Media limits</h2>
      <p class="muted small">Uploads larger than these are refused before any byte is stored.</p>
      <FormAlert alertRef={form.alertRef}>{form.problem?.detail}</FormAlert>
      <TextInput label="Largest file (MB)" name="mediaMaxFileBytes" inputMode="decimal" defaultValue={show(workspace.mediaLimits.maxFileBytes, MB)} hint="Between 1 MB and 5,120 MB (5 GB)." error={form.errors.mediaMaxFileBytes} />
      <TextInput label="Library quota (GB)" name="mediaQuotaBytes" inputMode="decimal" defaultValue={show(workspace.mediaLimits.quotaBytes, GB)} hint="The total size of all files in this workspace." error={form.errors.mediaQuotaBytes} />
      <div class="row">
        <Button type="submit" busy={form.pending}>
          Save limits
        </Button>
        <StatusMessage>{saved}</StatusMessage>
      </div>
    </form>
  );
}

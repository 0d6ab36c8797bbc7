import { useState } from "preact/hooks";
import type { Workspace } from "../../../../worker/contracts/workspaces.ts";
import { toApiError } from "../../api/problem.ts";
import { workspacesApi } from "../../api/workspaces.ts";
import { formValues, useSubmit } from "../../forms/use-submit.ts";
import { FormAlert, StatusMessage } from "../../ui/alert.tsx";
import { Button } from "../../ui/button.tsx";
import { TextInput } from "../../ui/field.tsx";
import { ImagePicker } from "../../ui/image-picker.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { TimeZoneSelect } from "../workspaces/time-zone-select.tsx";
import { useWorkspace } from "../workspaces/workspace-context.tsx";
import { WorkspaceGate } from "../workspaces/workspace-gate.tsx";
import { DeleteWorkspace } from "./delete-workspace.tsx";
import { MediaLimits } from "./media-limits.tsx";

function Settings({ workspace }: { workspace: Workspace }) {
  const { setWorkspace } = useWorkspace();
  const form = useSubmit();
  const [saved, setSaved] = useState("");
  const [logoError, setLogoError] = useState<string | undefined>();

  const onSubmit = (e: Event) => {
    e.preventDefault();
    const v = formValues(e.currentTarget as HTMLFormElement);
    setSaved("");
    void form.submit(async () => {
      const body: { name?: string; timezone?: string } = {};
      if (v.name !== undefined && v.name.trim() !== workspace.name) body.name = v.name;
      if (v.timezone && v.timezone !== workspace.timezone) body.timezone = v.timezone;
      if (Object.keys(body).length === 0) return setSaved("Nothing to save: no changes.");
      setWorkspace(await workspacesApi.update(workspace.id, body));
      setSaved("Settings saved.");
    });
  };

  const logo = async (action: () => Promise<Workspace>) => {
    setLogoError(undefined);
    try {
      setWorkspace(await action());
    } catch (e) {
      setLogoError(toApiError(e).problem.detail);
      throw e;
    }
  };

  return (
    <section class="page narrow">
      <PageHeading title={`Settings · ${workspace.name}`} subtitle="These settings apply to everyone in the workspace.">
        Workspace settings
      </PageHeading>
      <form ref={form.formRef} onSubmit={onSubmit} onInput={form.onInput} noValidate class="card stack" aria-labelledby="general-heading">
        <h2 id="general-heading">General</h2>
        <FormAlert alertRef={form.alertRef}>{form.problem?.detail}</FormAlert>
        <TextInput label="Workspace name" name="name" defaultValue={workspace.name} required maxLength={80} error={form.errors.name} />
        <TimeZoneSelect value={workspace.timezone} error={form.errors.timezone} />
        <div class="row">
          <Button type="submit" variant="primary" busy={form.pending}>
            Save changes
          </Button>
          <StatusMessage>{saved}</StatusMessage>
        </div>
      </form>
      <section class="card stack" aria-labelledby="logo-heading">
        <h2 id="logo-heading">Logo</h2>
        <ImagePicker
          label="Logo"
          name={workspace.name}
          shape="square"
          currentUrl={workspace.logoUrl}
          error={logoError}
          onUpload={(file) => logo(() => workspacesApi.uploadLogo(workspace.id, file))}
          onRemove={() => logo(() => workspacesApi.deleteLogo(workspace.id))}
        />
      </section>
      <MediaLimits workspace={workspace} onSaved={setWorkspace} />
      {workspace.role === "owner" && <DeleteWorkspace workspace={workspace} />}
    </section>
  );
}

export default function WorkspaceSettingsPage() {
  return <WorkspaceGate manage>{(workspace) => <Settings key={workspace.id} workspace={workspace} />}</WorkspaceGate>;
}

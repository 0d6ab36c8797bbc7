import { useLocation } from "preact-iso";
import { workspacesApi } from "../../api/workspaces.ts";
import { formValues, useSubmit } from "../../forms/use-submit.ts";
import { FormAlert } from "../../ui/alert.tsx";
import { Button } from "../../ui/button.tsx";
import { TextInput } from "../../ui/field.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { TimeZoneSelect } from "./time-zone-select.tsx";

export default function NewWorkspacePage() {
  const { route } = useLocation();
  const form = useSubmit();
  const onSubmit = (e: Event) => {
    e.preventDefault();
    const v = formValues(e.currentTarget as HTMLFormElement);
    void form.submit(async () => {
      const ws = await workspacesApi.create({ name: v.name ?? "", timezone: v.timezone ?? "" });
      route(`/w/${ws.id}`);
    });
  };
  return (
    <section class="page narrow">
      <PageHeading
        title="New workspace"
        subtitle="A workspace holds one brand's channels, calendar and team. You can invite people next."
      >
        Create a workspace
      </PageHeading>
      <form ref={form.formRef} onSubmit={onSubmit} onInput={form.onInput} noValidate class="card stack">
        <FormAlert alertRef={form.alertRef}>{form.problem?.detail}</FormAlert>
        <TextInput label="Workspace name" name="name" required maxLength={80} placeholder="e.g. Northwind Coffee" error={form.errors.name} />
        <TimeZoneSelect error={form.errors.timezone} />
        <div class="row">
          <Button type="submit" variant="primary" busy={form.pending}>
            {form.pending ? "Creating…" : "Create workspace"}
          </Button>
        </div>
      </form>
    </section>
  );
}

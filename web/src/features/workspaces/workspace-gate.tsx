import type { ComponentChildren } from "preact";
import type { Workspace } from "../../../../worker/contracts/workspaces.ts";
import { LinkButton } from "../../ui/button.tsx";
import { Loading } from "../../ui/loading.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { canManage, useWorkspace } from "./workspace-context.tsx";

/** Waits for the workspace, explains a missing one, and optionally requires owner/admin. */
export function WorkspaceGate({
  children,
  manage = false,
}: {
  children: (workspace: Workspace) => ComponentChildren;
  manage?: boolean;
}) {
  const { workspace, error } = useWorkspace();
  if (error && !workspace) {
    const missing = error.status === 404 || error.status === 403;
    return (
      <section class="page narrow">
        <PageHeading title={missing ? "Workspace not found" : "Could not load workspace"}>
          {missing ? "Workspace not found" : "Could not load workspace"}
        </PageHeading>
        <p>{missing ? "This workspace does not exist or you are no longer a member of it." : error.problem.detail}</p>
        <LinkButton href="/" variant="primary">
          Go to your workspaces
        </LinkButton>
      </section>
    );
  }
  if (!workspace) return <Loading label="Loading workspace…" />;
  if (manage && !canManage(workspace)) {
    return (
      <section class="page narrow">
        <PageHeading title="Owners and admins only">Owners and admins only</PageHeading>
        <p>Your role in {workspace.name} does not let you open this page. Ask an owner or admin if you need access.</p>
        <LinkButton href={`/w/${workspace.id}`}>Back to {workspace.name}</LinkButton>
      </section>
    );
  }
  return <>{children(workspace)}</>;
}

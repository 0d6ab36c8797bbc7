import { useLocation } from "preact-iso";
import { useEffect, useState } from "preact/hooks";
import { toApiError } from "../../api/problem.ts";
import { workspacesApi } from "../../api/workspaces.ts";
import { FormAlert } from "../../ui/alert.tsx";
import { Loading } from "../../ui/loading.tsx";
import { lastWorkspace } from "./last-workspace.ts";

/** "/" opens the last workspace used in this browser, else the first one, else workspace creation. */
export default function RootRedirect() {
  const { route } = useLocation();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    workspacesApi.list().then(
      (list) => {
        const last = lastWorkspace();
        const target = list.find((w) => w.id === last) ?? list[0];
        route(target ? `/w/${target.id}` : "/workspaces/new", true);
      },
      (e: unknown) => setError(toApiError(e).problem.detail),
    );
  }, [route]);
  return error ? <FormAlert>{error}</FormAlert> : <Loading label="Opening your workspace…" />;
}

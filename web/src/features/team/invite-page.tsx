import { useLocation, useRoute } from "preact-iso";
import { useEffect, useState } from "preact/hooks";
import type { InvitePreview } from "../../../../worker/contracts/workspaces.ts";
import { ApiError, toApiError } from "../../api/problem.ts";
import { invitesApi } from "../../api/workspaces.ts";
import { FormAlert } from "../../ui/alert.tsx";
import { Avatar } from "../../ui/avatar.tsx";
import { Button, LinkButton } from "../../ui/button.tsx";
import { Loading } from "../../ui/loading.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { formatDateTime, viewerTimeZone } from "../../ui/time.tsx";
import { AuthCard } from "../auth/auth-card.tsx";
import { useSession } from "../auth/session.tsx";
import { ROLE_DESCRIPTION, ROLE_LABEL } from "../workspaces/roles.ts";

function Unavailable({ error }: { error: ApiError }) {
  const gone = error.status === 410;
  const missing = error.status === 404;
  const title = gone ? "This invite has expired" : missing ? "Invite not found" : "Could not open the invite";
  return (
    <AuthCard>
      <PageHeading title={title}>{title}</PageHeading>
      <p>
        {gone || missing
          ? "The link may have expired, been revoked or already been used. Ask the person who invited you for a new link."
          : error.problem.detail}
      </p>
      <LinkButton href="/">Go to Atelier</LinkButton>
    </AuthCard>
  );
}

export default function InvitePage() {
  const { params } = useRoute();
  const token = params.token ?? "";
  const { route, url } = useLocation();
  const { state } = useSession();
  const [preview, setPreview] = useState<InvitePreview | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [accepting, setAccepting] = useState(false);
  const [acceptError, setAcceptError] = useState<string | null>(null);

  useEffect(() => {
    invitesApi.preview(token).then(setPreview, (e: unknown) => setError(toApiError(e)));
  }, [token]);

  if (error) return <Unavailable error={error} />;
  if (!preview || state.status === "loading") return <Loading label="Opening invite…" />;

  const accept = async () => {
    setAccepting(true);
    setAcceptError(null);
    try {
      const ws = await invitesApi.accept(token);
      route(`/w/${ws.id}`, true);
    } catch (e) {
      setAcceptError(toApiError(e).problem.detail);
      setAccepting(false);
    }
  };

  const next = encodeURIComponent(url);
  const me = state.status === "signed-in" ? state.me : null;
  const wrongEmail = me && preview.email && preview.email.toLowerCase() !== me.email.toLowerCase();
  return (
    <AuthCard>
      <div class="invite-preview">
        <Avatar name={preview.workspace.name} src={preview.workspace.logoUrl} size="xl" label={preview.workspace.logoUrl ? `${preview.workspace.name} logo` : ""} />
        <PageHeading title={`Join ${preview.workspace.name}`}>Join {preview.workspace.name}</PageHeading>
        <p>
          {preview.invitedBy ? `${preview.invitedBy.name} invited you` : "You are invited"} to join as{" "}
          <strong>{ROLE_LABEL[preview.role]}</strong>.
        </p>
        <p class="muted small">{ROLE_DESCRIPTION[preview.role]}</p>
        {preview.email && <p class="muted small">This invite is for {preview.email}.</p>}
        <p class="muted small">
          Expires {formatDateTime(preview.expiresAt, viewerTimeZone())}.
        </p>
      </div>
      <FormAlert>{acceptError}</FormAlert>
      {me ? (
        <div class="stack">
          {wrongEmail && (
            <p class="alert alert-warning">
              You are signed in as {me.email}. This invite is for {preview.email}; log out and use that account to accept it.
            </p>
          )}
          <Button variant="primary" class="btn-block" busy={accepting} onClick={() => void accept()}>
            Accept invitation
          </Button>
          <p class="muted small center">Signed in as {me.email}</p>
        </div>
      ) : (
        <div class="stack">
          <LinkButton variant="primary" class="btn-block" href={`/signup?next=${next}`}>
            Sign up to accept
          </LinkButton>
          <LinkButton class="btn-block" href={`/login?next=${next}`}>
            I already have an account
          </LinkButton>
        </div>
      )}
    </AuthCard>
  );
}

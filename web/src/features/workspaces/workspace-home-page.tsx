import { useEffect, useState } from "preact/hooks";
import type { Workspace } from "../../../../worker/contracts/workspaces.ts";
import { Avatar } from "../../ui/avatar.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { formatClock, viewerTimeZone, zoneAbbreviation } from "../../ui/time.tsx";
import { PresenceAvatars } from "../presence/presence-avatars.tsx";
import { ROLE_DESCRIPTION, ROLE_LABEL } from "./roles.ts";
import { canManage, useWorkspace } from "./workspace-context.tsx";
import { WorkspaceGate } from "./workspace-gate.tsx";

function useNow(everyMs: number): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

/** "Europe/Paris · GMT+1", without repeating a zone whose abbreviation is its own name (UTC). */
function zoneLine(timeZone: string, now: Date): string {
  const abbreviation = zoneAbbreviation(now, timeZone);
  const name = timeZone.replaceAll("_", " ");
  return abbreviation === timeZone ? name : `${name} · ${abbreviation}`;
}

function Clocks({ workspace }: { workspace: Workspace }) {
  const now = useNow(15_000);
  const viewer = viewerTimeZone();
  const same = zoneAbbreviation(now, viewer) === zoneAbbreviation(now, workspace.timezone) && formatClock(now, viewer) === formatClock(now, workspace.timezone);
  return (
    <div class="clocks">
      <div class="clock card">
        <p class="clock-label">Workspace time</p>
        <p class="clock-time">{formatClock(now, workspace.timezone)}</p>
        <p class="muted">
          {zoneLine(workspace.timezone, now)}
        </p>
      </div>
      <div class="clock card">
        <p class="clock-label">Your time</p>
        <p class="clock-time">{formatClock(now, viewer)}</p>
        <p class="muted">
          {zoneLine(viewer, now)}
          {same && " · same as the workspace"}
        </p>
      </div>
    </div>
  );
}

function Home({ workspace }: { workspace: Workspace }) {
  const { online } = useWorkspace();
  const base = `/w/${workspace.id}`;
  const manage = canManage(workspace);
  return (
    <section class="page">
      <div class="workspace-title">
        <Avatar name={workspace.name} src={workspace.logoUrl} size="lg" label={workspace.logoUrl ? `${workspace.name} logo` : ""} />
        <PageHeading title={workspace.name} subtitle={`Your role: ${ROLE_LABEL[workspace.role]}`}>
          {workspace.name}
        </PageHeading>
      </div>

      <Clocks workspace={workspace} />

      <div class="grid-2">
        <section class="card" aria-labelledby="online-heading">
          <h2 id="online-heading">Online now</h2>
          {online.length > 0 ? (
            <>
              <PresenceAvatars online={online} label="Teammates online now" />
              <p class="muted">{online.map((u) => u.name).join(", ")}</p>
            </>
          ) : (
            <p class="muted">No teammates are online right now. They will appear here as soon as they open this workspace.</p>
          )}
        </section>
        <section class="card" aria-labelledby="role-heading">
          <h2 id="role-heading">Your access</h2>
          <p>
            <strong>{ROLE_LABEL[workspace.role]}</strong> — {ROLE_DESCRIPTION[workspace.role]}
          </p>
        </section>
      </div>

      <nav aria-label="Workspace shortcuts" class="shortcuts">
        <a class="shortcut card" href={`${base}/accounts`}>
          <strong>Accounts</strong>
          <span class="muted">{manage ? "Connect the social accounts you publish to." : "See which social accounts are connected."}</span>
        </a>
        <a class="shortcut card" href={`${base}/team`}>
          <strong>Team</strong>
          <span class="muted">{manage ? "Invite people and manage roles." : "See who is in this workspace."}</span>
        </a>
        {manage && (
          <a class="shortcut card" href={`${base}/settings`}>
            <strong>Settings</strong>
            <span class="muted">Name, time zone and logo.</span>
          </a>
        )}
        {manage && (
          <a class="shortcut card" href={`${base}/audit`}>
            <strong>Audit log</strong>
            <span class="muted">Who changed what, and when.</span>
          </a>
        )}
      </nav>
    </section>
  );
}

export default function WorkspaceHomePage() {
  return <WorkspaceGate>{(workspace) => <Home workspace={workspace} />}</WorkspaceGate>;
}

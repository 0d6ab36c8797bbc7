import type { Connection } from "../../../../worker/contracts/connections.ts";
import { Avatar } from "../../ui/avatar.tsx";
import { Badge } from "../../ui/badge.tsx";
import { Button } from "../../ui/button.tsx";
import { formatDateTime, formatRelative, viewerTimeZone, zoneAbbreviation } from "../../ui/time.tsx";
import { KIND_LABEL, STATUS_LABEL } from "./channel-labels.ts";

const STATUS_TONE = { active: "success", needs_reconnect: "warning", disconnected: "neutral" } as const;

/** "Mar 3, 2026, 10:00 AM CET" in the viewer's zone. */
function absolute(at: string): string {
  const zone = viewerTimeZone();
  return `${formatDateTime(at, zone)} ${zoneAbbreviation(at, zone)}`;
}

function TokenExpiry({ at }: { at: string | null }) {
  if (at === null) return <span>Access never expires</span>;
  const past = new Date(at).getTime() <= Date.now();
  return (
    <span>
      Access {past ? "expired" : "expires"} {formatRelative(at)} (<time dateTime={at}>{absolute(at)}</time>)
    </span>
  );
}

interface ChannelRowProps {
  connection: Connection;
  manage: boolean;
  /** Set while this row's Reconnect is on its way to the platform. */
  reconnecting: boolean;
  onReconnect: (c: Connection) => void;
  onDisconnect: (c: Connection) => void;
}

export function ChannelRow({ connection: c, manage, reconnecting, onReconnect, onDisconnect }: ChannelRowProps) {
  const gone = c.status === "disconnected";
  return (
    <li class={`channel-row${gone ? " channel-gone" : ""}`}>
      <div class="channel-who">
        <Avatar name={c.name} src={c.avatarUrl} label="" />
        <div class="channel-text">
          <span class="channel-name">{c.name}</span>
          <span class="muted small">
            {c.handle && <span class="channel-handle">@{c.handle.replace(/^@/, "")} · </span>}
            {KIND_LABEL[c.kind]}
          </span>
        </div>
        <Badge tone={STATUS_TONE[c.status]}>{STATUS_LABEL[c.status]}</Badge>
      </div>
      {c.status === "needs_reconnect" && (
        <p class="channel-reason">
          {c.statusReason ?? "The platform no longer accepts Atelier's access."} Reconnect to keep publishing.
        </p>
      )}
      <div class="channel-facts muted small">
        {gone ? (
          <p>Tokens deleted. The rest of this channel's data is purged within 30 days.</p>
        ) : (
          <p>
            <TokenExpiry at={c.tokenExpiresAt} />
          </p>
        )}
        <p>
          Connected {c.connectedBy ? `by ${c.connectedBy.name} ` : ""}on <time dateTime={c.connectedAt}>{absolute(c.connectedAt)}</time>
        </p>
      </div>
      {manage && !gone && (
        <div class="channel-actions">
          <Button
            size="sm"
            variant={c.status === "needs_reconnect" ? "primary" : "secondary"}
            busy={reconnecting}
            onClick={() => onReconnect(c)}
            aria-label={`Reconnect ${c.name}`}
          >
            Reconnect
          </Button>
          <Button size="sm" variant="ghost" onClick={() => onDisconnect(c)} aria-label={`Disconnect ${c.name}`}>
            Disconnect
          </Button>
        </div>
      )}
    </li>
  );
}

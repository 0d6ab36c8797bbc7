import type { Connection, PlatformInfo } from "../../../../worker/contracts/connections.ts";
import { Badge } from "../../ui/badge.tsx";
import { Button } from "../../ui/button.tsx";
import { accounts } from "./channel-labels.ts";
import { ChannelRow } from "./channel-row.tsx";
import { PlatformMark } from "./platform-mark.tsx";

interface PlatformCardProps {
  platform: PlatformInfo;
  connections: Connection[];
  manage: boolean;
  /** "connect", or the id of the connection being reconnected, while the browser is sent to the platform. */
  busy: string | null;
  onConnect: (p: PlatformInfo) => void;
  onReconnect: (c: Connection) => void;
  onDisconnect: (c: Connection) => void;
}

function Scopes({ platform }: { platform: PlatformInfo }) {
  if (platform.scopes.length === 0) return null;
  return (
    <details class="scopes">
      <summary>What Atelier asks for</summary>
      <ul class="scope-list">
        {platform.scopes.map((s) => (
          <li key={s.scope}>
            <span>
              {s.purpose} {s.required ? <Badge tone="accent">Required</Badge> : <Badge>Optional</Badge>}
            </span>
            <code class="scope-code">{s.scope}</code>
          </li>
        ))}
      </ul>
    </details>
  );
}

/** One platform: connect it, see what it asks for, and the channels connected from it. */
export function PlatformCard({ platform, connections, manage, busy, onConnect, onReconnect, onDisconnect }: PlatformCardProps) {
  const headingId = `platform-${platform.platform}`;
  const live = connections.filter((c) => c.status !== "disconnected").length;
  return (
    <section class={`card platform-card${connections.length > 0 ? " platform-card-wide" : ""}`} aria-labelledby={headingId}>
      <div class="platform-head">
        <PlatformMark platform={platform.platform} />
        <div class="platform-title">
          <h2 id={headingId} tabIndex={-1}>
            {platform.displayName}
          </h2>
          <span class="muted small">{live > 0 ? `${accounts(live)} connected` : "Not connected"}</span>
        </div>
        {manage && platform.available && (
          <Button
            variant={live > 0 ? "secondary" : "primary"}
            size="sm"
            busy={busy === "connect"}
            onClick={() => onConnect(platform)}
            aria-label={`Connect ${platform.displayName}`}
          >
            {live > 0 ? "Connect another" : "Connect"}
          </Button>
        )}
      </div>
      {!platform.available && <p class="muted small platform-note">Not set up on this server: its app credentials are missing.</p>}
      <Scopes platform={platform} />
      {connections.length > 0 && (
        <ul class="channel-list" aria-label={`${platform.displayName} accounts`}>
          {connections.map((c) => (
            <ChannelRow key={c.id} connection={c} manage={manage} reconnecting={busy === c.id} onReconnect={onReconnect} onDisconnect={onDisconnect} />
          ))}
        </ul>
      )}
    </section>
  );
}

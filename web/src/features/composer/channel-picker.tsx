import type { Connection } from "../../../../worker/contracts/connections.ts";
import { Avatar } from "../../ui/avatar.tsx";
import { PlatformMark } from "../accounts/platform-mark.tsx";

interface ChannelPickerProps {
  channels: Connection[];
  selected: ReadonlySet<string>;
  invalid: ReadonlySet<string>;
  onToggle: (channel: Connection, on: boolean) => void;
}

/** One checkbox chip per active channel: avatar, name and the platform's colour. */
export function ChannelPicker({ channels, selected, invalid, onToggle }: ChannelPickerProps) {
  return (
    <fieldset class="composer-section channel-picker">
      <legend class="field-label">Channels</legend>
      <div class="chips">
        {channels.map((c) => (
          <label key={c.id} class={`chip chip-${c.platform}${invalid.has(c.id) ? " chip-invalid" : ""}`}>
            <input type="checkbox" checked={selected.has(c.id)} onChange={(e) => onToggle(c, e.currentTarget.checked)} />
            <span class="chip-avatar">
              <Avatar name={c.name} src={c.avatarUrl} size="sm" label="" />
              <PlatformMark platform={c.platform} />
            </span>
            <span class="chip-name">{c.name}</span>
            <span class="visually-hidden"> ({c.platform})</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

import type { Connection } from "../../../../worker/contracts/connections.ts";
import type { Member } from "../../../../worker/contracts/workspaces.ts";
import { Select } from "../../ui/field.tsx";
import type { InboxFilters } from "./inbox-query.ts";
import { PLATFORM_NAME } from "./inbox-labels.ts";

interface Props {
  filters: InboxFilters;
  connections: Connection[];
  members: Member[];
  onChange: (filters: InboxFilters) => void;
}

/** Channel, status, assignee, unread and a search box; every change reloads the list. */
export function InboxFiltersBar({ filters, connections, members, onChange }: Props) {
  const set = (patch: Partial<InboxFilters>) => onChange({ ...filters, ...patch });
  return (
    <form class="inbox-filters" role="search" aria-label="Filter conversations" onSubmit={(e) => e.preventDefault()}>
      <label class="field inbox-search">
        <span class="visually-hidden">Search conversations</span>
        <input
          class="input"
          type="search"
          placeholder="Search messages, posts, names"
          value={filters.q}
          maxLength={200}
          onInput={(e) => set({ q: e.currentTarget.value })}
        />
      </label>
      <Select
        label="Channel"
        value={filters.channel ?? ""}
        options={[{ value: "", label: "All channels" }, ...connections.map((c) => ({ value: c.id, label: `${c.name} (${PLATFORM_NAME[c.platform]})` }))]}
        onChange={(e) => set({ channel: e.currentTarget.value || null })}
      />
      <Select
        label="Status"
        value={filters.status ?? ""}
        options={[
          { value: "open", label: "Open" },
          { value: "done", label: "Done" },
          { value: "", label: "All" },
        ]}
        onChange={(e) => {
          const v = e.currentTarget.value;
          set({ status: v === "open" || v === "done" ? v : null });
        }}
      />
      <Select
        label="Assignee"
        value={filters.assignee ?? ""}
        options={[
          { value: "", label: "Anyone" },
          { value: "me", label: "Me" },
          { value: "none", label: "Unassigned" },
          ...members.map((m) => ({ value: m.userId, label: m.name })),
        ]}
        onChange={(e) => set({ assignee: e.currentTarget.value || null })}
      />
      <label class="inbox-unread-toggle">
        <input type="checkbox" checked={filters.unread} onChange={(e) => set({ unread: e.currentTarget.checked })} /> Unread only
      </label>
    </form>
  );
}

import { useLocation } from "preact-iso";
import { useEffect, useMemo, useState } from "preact/hooks";
import type { Connection } from "../../../../worker/contracts/connections.ts";
import type { Workspace } from "../../../../worker/contracts/workspaces.ts";
import { connectionsApi } from "../../api/connections.ts";
import type { PostFilter } from "../../api/posts.ts";
import { FormAlert } from "../../ui/alert.tsx";
import { Loading } from "../../ui/loading.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { todayIn } from "../../ui/zoned-date.ts";
import { useWorkspaceSignals } from "../workspaces/workspace-context.tsx";
import { WorkspaceGate } from "../workspaces/workspace-gate.tsx";
import { rangeFor, type CalendarView } from "./calendar-math.ts";
import { CalendarToolbar } from "./calendar-toolbar.tsx";
import { ListView } from "./list-view.tsx";
import { MonthView } from "./month-view.tsx";
import { useCalendarPosts } from "./use-calendar-posts.ts";
import { WeekView } from "./week-view.tsx";
import "../composer/channel-colours.css";
import "./calendar.css";

const VIEWS: readonly CalendarView[] = ["month", "week", "list"];
const STATES = ["draft", "scheduled", "cancelled"] as const;

function Calendar({ workspace }: { workspace: Workspace }) {
  const { query, path, route } = useLocation();
  const zone = workspace.timezone;
  const [today, setToday] = useState(() => todayIn(zone));
  const view: CalendarView = VIEWS.includes(query.view as CalendarView) ? (query.view as CalendarView) : "month";
  const day = /^\d{4}-\d{2}-\d{2}$/.test(query.day ?? "") ? (query.day as string) : today;
  const state = STATES.find((s) => s === query.state);
  const channel = query.channel || undefined;
  const [channels, setChannels] = useState<Connection[]>([]);

  // The today marker follows the workspace's midnight, not the viewer's.
  useEffect(() => {
    const timer = setInterval(() => setToday(todayIn(zone)), 60_000);
    return () => clearInterval(timer);
  }, [zone]);

  const loadChannels = () => connectionsApi.list(workspace.id).then(setChannels, () => {});
  useEffect(() => void loadChannels(), [workspace.id]);
  useWorkspaceSignals((s) => {
    if (s.kind === "connection.changed") void loadChannels();
  });

  const filter: PostFilter = useMemo(() => ({ ...(view === "list" ? {} : rangeFor(view, day, zone)), state, channel }), [view, day, zone, state, channel]);
  const { posts, error, refusal, dismissRefusal, move } = useCalendarPosts(workspace.id, zone, filter);
  const byId = useMemo(() => new Map(channels.map((c) => [c.id, c])), [channels]);

  const go = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries({ view, day, state, channel, ...changes })) if (v) next.set(k, v);
    route(`${path}?${next}`, true);
  };

  const props = { workspaceId: workspace.id, zone, day, today, posts: posts ?? [], channels: byId, refusedId: refusal?.postId ?? null, onMove: (p: Parameters<typeof move>[0], l: string) => void move(p, l) };
  return (
    <section class="page calendar">
      <PageHeading title={`Calendar · ${workspace.name}`} subtitle={`Times are shown in the workspace's zone, ${zone}.`}>
        Calendar
      </PageHeading>
      <CalendarToolbar view={view} day={day} today={today} state={state} channel={channel} channels={channels} onGo={go} />
      <FormAlert>
        {refusal ? (
          <>
            The post was not moved: {refusal.message}{" "}
            <button type="button" class="btn btn-ghost btn-sm" onClick={dismissRefusal}>
              Dismiss
            </button>
          </>
        ) : (
          error || undefined
        )}
      </FormAlert>
      {!posts ? (
        !error && <Loading label="Loading posts…" />
      ) : view === "month" ? (
        <MonthView {...props} />
      ) : view === "week" ? (
        <WeekView {...props} />
      ) : (
        <ListView workspaceId={workspace.id} zone={zone} posts={posts} channels={byId} />
      )}
      {view !== "list" && (
        <p class="muted small calendar-help">Drag a post to another day or hour to reschedule it, or use its “⋯” button to move it with the keyboard.</p>
      )}
    </section>
  );
}

export default function CalendarPage() {
  return <WorkspaceGate>{(workspace) => <Calendar workspace={workspace} />}</WorkspaceGate>;
}

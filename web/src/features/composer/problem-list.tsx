import type { Connection } from "../../../../worker/contracts/connections.ts";
import type { PostProblem } from "../../api/posts.ts";
import { fieldId } from "./composer-draft.ts";

interface ProblemListProps {
  channels: Connection[];
  problemsOf: (connectionId: string) => PostProblem[];
  general: PostProblem[];
  /** Brings the field into view (switching the text tab when needed) and focuses it. */
  onGoTo: (connectionId: string | null, path: string) => void;
}

/** Every problem in one place, grouped by channel, each linking to the field it is about. */
export function ProblemList({ channels, problemsOf, general, onGoTo }: ProblemListProps) {
  const groups = channels.map((c) => ({ channel: c, problems: problemsOf(c.id) })).filter((g) => g.problems.length > 0);
  if (groups.length === 0 && general.length === 0) return null;
  const link = (connectionId: string | null, p: PostProblem, i: number) => (
    <li key={`${p.path}-${i}`}>
      <a
        href={`#${connectionId ? fieldId(connectionId, p.path) : p.path}`}
        onClick={(e) => {
          e.preventDefault();
          onGoTo(connectionId, p.path);
        }}
      >
        {p.message}
      </a>
    </li>
  );
  return (
    <section class="problem-list alert alert-error" aria-labelledby="problems-heading">
      <h2 id="problems-heading" class="problem-heading">
        Fix before scheduling
      </h2>
      {general.length > 0 && <ul>{general.map((p, i) => link(null, p, i))}</ul>}
      {groups.map(({ channel, problems }) => (
        <div key={channel.id} class="problem-group" data-channel={channel.id}>
          <h3 class="problem-channel">{channel.name}</h3>
          <ul>{problems.map((p, i) => link(channel.id, p, i))}</ul>
        </div>
      ))}
    </section>
  );
}

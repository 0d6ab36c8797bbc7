import type { Attempt } from "../../api/posts.ts";
import { formatDateTime, viewerTimeZone, zoneAbbreviation } from "../../ui/time.tsx";
import { OUTCOME_LABEL, STEP_LABEL } from "./attempt-labels.ts";

interface AttemptHistoryProps {
  channelName: string;
  targetId: string;
  attempts: Attempt[] | null;
  error: string | null;
  onOpen: () => void;
}

/** A disclosure with every step the engine ran for one channel, loaded when first opened. */
export function AttemptHistory({ channelName, targetId, attempts, error, onOpen }: AttemptHistoryProps) {
  const mine = attempts?.filter((a) => a.targetId === targetId) ?? null;
  const zone = viewerTimeZone();
  return (
    <details class="attempts" onToggle={(e) => e.currentTarget.open && onOpen()}>
      <summary>Attempt history</summary>
      {error && <p class="field-error">{error}</p>}
      {!error && mine === null && <p class="muted small">Loading…</p>}
      {mine?.length === 0 && <p class="muted small">Nothing has been tried yet for this channel.</p>}
      {mine && mine.length > 0 && (
        <div class="table-wrap attempts-wrap">
          <table class="table attempts-table">
            <caption class="visually-hidden">Attempt history for {channelName}, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Step</th>
                <th scope="col">Outcome</th>
                <th scope="col">HTTP status</th>
                <th scope="col">Platform code</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {mine.map((a) => (
                <tr key={a.id}>
                  <td>
                    <time dateTime={a.startedAt}>
                      {formatDateTime(a.startedAt, zone)} {zoneAbbreviation(a.startedAt, zone)}
                    </time>
                  </td>
                  <td>{STEP_LABEL[a.step]}</td>
                  <td>{a.outcome ? OUTCOME_LABEL[a.outcome] : <span class="muted">Running…</span>}</td>
                  <td>{a.httpStatus ?? <span class="muted">–</span>}</td>
                  <td>{a.platformCode ? <code>{a.platformCode}</code> : <span class="muted">–</span>}</td>
                  <td class="attempt-message">{a.message ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}

import type { Note } from "../../../../worker/contracts/inbox.ts";
import { formatDateTime, viewerTimeZone } from "../../ui/time.tsx";

export function NoteItem({ note }: { note: Note }) {
  return (
    <li class="inbox-note" data-note-id={note.id}>
      <div class="msg-meta">
        <strong>Note by {note.author?.name ?? "a former member"}</strong>
        <time dateTime={note.createdAt}>{formatDateTime(note.createdAt, viewerTimeZone())}</time>
      </div>
      <p class="msg-text">{note.text}</p>
    </li>
  );
}

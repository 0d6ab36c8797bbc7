import type { YoutubeVideoDetails, YoutubeVideoEdit } from "../../../../worker/contracts/youtube.ts";
import { parseTags } from "../composer/youtube-choices.ts";

/** The edit form's fields as typed (tags as the comma-separated text the person sees). */
export interface YoutubeForm {
  title: string;
  description: string;
  tags: string;
  categoryId: string;
  privacyStatus: YoutubeVideoDetails["privacyStatus"];
  madeForKids: boolean;
}
export type YoutubeField = keyof YoutubeForm;
export const YOUTUBE_FIELDS: readonly YoutubeField[] = ["title", "description", "tags", "categoryId", "privacyStatus", "madeForKids"];

export const formFrom = (video: YoutubeVideoDetails): YoutubeForm => ({
  title: video.title,
  description: video.description,
  tags: video.tags.join(", "),
  categoryId: video.categoryId,
  privacyStatus: video.privacyStatus,
  madeForKids: video.madeForKids,
});

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Only what the person changed, so a field someone edited in YouTube Studio meanwhile is not
 * overwritten with the value this form loaded (the server re-reads the rest from YouTube).
 */
export function changedFields(loaded: YoutubeVideoDetails, form: YoutubeForm): YoutubeVideoEdit {
  const edit: YoutubeVideoEdit = {};
  if (form.title !== loaded.title) edit.title = form.title;
  if (form.description !== loaded.description) edit.description = form.description;
  const tags = parseTags(form.tags);
  if (!sameList(tags, loaded.tags)) edit.tags = tags;
  if (form.categoryId !== loaded.categoryId) edit.categoryId = form.categoryId;
  if (form.privacyStatus !== loaded.privacyStatus) edit.privacyStatus = form.privacyStatus;
  if (form.madeForKids !== loaded.madeForKids) edit.madeForKids = form.madeForKids;
  return edit;
}

/**
 * A refused edit's problems by field (`tags.2` belongs to `tags`); anything not about a field of the
 * form (`snippet`, a path the form does not have) is returned in `other` for the form-level alert.
 */
export function problemsByField(errors: { path: string; message: string }[] | undefined): { fields: Partial<Record<YoutubeField, string>>; other: string[] } {
  const fields: Partial<Record<YoutubeField, string>> = {};
  const other: string[] = [];
  for (const e of errors ?? []) {
    const head = e.path.split(".")[0] as YoutubeField;
    if (YOUTUBE_FIELDS.includes(head)) fields[head] = fields[head] ? `${fields[head]} ${e.message}` : e.message;
    else other.push(e.message);
  }
  return { fields, other };
}

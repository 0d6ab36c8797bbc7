import { renderTemplate, templateValues } from "../../../../worker/domain/rules/templates.ts";

/** What the composer knows about the person being answered and where. */
export interface FillContext {
  /** The author of the comment being answered, or the DM's participant; null when unknown. */
  personName: string | null;
  channelName: string;
  /** The message being answered, quoted by `{text}`; empty for a DM with no selected message. */
  text: string;
}

/**
 * A saved reply with its variables filled exactly as a rule would fill them, so the person sees the
 * final words in the box before sending (an unknown name renders as nothing: "Hi, thanks!").
 */
export function fillSavedReply(template: string, context: FillContext): string {
  return renderTemplate(template, templateValues({ authorName: context.personName, channelName: context.channelName, text: context.text }));
}

/** Inserts at the caret (replacing any selection), with a space or line break kept between words. */
export function insertAt(current: string, insert: string, selectionStart: number, selectionEnd: number): { text: string; caret: number } {
  const before = current.slice(0, selectionStart);
  const after = current.slice(selectionEnd);
  const lead = before.length > 0 && !/\s$/.test(before) ? " " : "";
  const text = `${before}${lead}${insert}${after}`;
  return { text, caret: before.length + lead.length + insert.length };
}

/** Filter for the picker: name or text contains every typed word, ignoring case. */
export function matchesQuery(reply: { name: string; text: string }, query: string): boolean {
  const haystack = `${reply.name}\n${reply.text}`.toLowerCase();
  return query.toLowerCase().split(/\s+/).filter(Boolean).every((word) => haystack.includes(word));
}

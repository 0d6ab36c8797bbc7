import type { InboxViewer } from "../../live/inbox-channel.ts";

/** "Ana", "Ana and Bo", "Ana, Bo and 2 others". */
export function listNames(names: string[]): string {
  const [first, second, third] = names;
  if (!first) return "";
  if (!second) return first;
  if (!third) return `${first} and ${second}`;
  const rest = names.length - 2;
  return `${first}, ${second} and ${rest} ${rest === 1 ? "other" : "others"}`;
}

export interface PresenceText {
  /** Teammates viewing (not the reader), or null when nobody else is. */
  viewing: string | null;
  /** "Ana is typing…", or null. */
  typing: string | null;
  viewerIds: string[];
}

/** What a conversation's presence says to the member `meId`; unknown ids read as "A teammate". */
export function presenceText(viewers: InboxViewer[], meId: string, names: ReadonlyMap<string, string>): PresenceText {
  const others = viewers.filter((v) => v.userId !== meId);
  const nameOf = (id: string) => names.get(id) ?? "A teammate";
  const viewing = others.map((v) => nameOf(v.userId));
  const typing = others.filter((v) => v.typing).map((v) => nameOf(v.userId));
  return {
    viewing: viewing.length ? `${listNames(viewing)} ${viewing.length === 1 ? "is" : "are"} viewing` : null,
    typing: typing.length ? `${listNames(typing)} ${typing.length === 1 ? "is" : "are"} typing…` : null,
    viewerIds: others.map((v) => v.userId),
  };
}

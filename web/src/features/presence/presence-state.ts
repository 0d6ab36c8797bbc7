import type { UserSummary } from "../../../../worker/contracts/common.ts";
import type { LiveEvent } from "../../../../worker/contracts/live.ts";

/** Who is online, in order of arrival; kept free of the socket so it can be reasoned about alone. */
export function applyPresence(online: UserSummary[], event: LiveEvent): UserSummary[] {
  switch (event.kind) {
    case "presence.joined":
      return online.some((u) => u.id === event.user.id)
        ? online.map((u) => (u.id === event.user.id ? event.user : u))
        : [...online, event.user];
    case "presence.left":
    case "member.removed":
      return online.filter((u) => u.id !== event.userId);
    default:
      return online;
  }
}

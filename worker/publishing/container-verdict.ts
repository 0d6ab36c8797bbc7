import type { ReconcileResult } from "./types";

/** How a platform names the prepared object and where it lives, for the sentences a person reads. */
export type ContainerWording = { platform: string; thing: string; place: string };

/**
 * What a container-based platform (Instagram, Threads) says about a prepared container that is not
 * `PUBLISHED`: every known state means the post did not go live (so committing again is safe);
 * an unknown state means Atelier cannot tell.
 */
export function unpublishedContainerVerdict(code: string, containerId: string, w: ContainerWording): ReconcileResult {
  const it = `the ${w.thing} (container ${containerId})`;
  switch (code) {
    case "FINISHED":
      return { kind: "not_published", checked: `${w.platform} says ${it} is still waiting to be published: the post did not go live.` };
    case "IN_PROGRESS":
      return { kind: "not_published", checked: `${w.platform} is still processing ${it}, so it cannot have been published yet.` };
    case "ERROR":
      return { kind: "not_published", checked: `${w.platform} could not process ${it}, so it was never published.` };
    case "EXPIRED":
      return { kind: "not_published", checked: `${it[0]!.toUpperCase()}${it.slice(1)} expired on ${w.platform} without being published.` };
    default:
      return { kind: "unknown", checked: `${w.platform} reported ${it} in a state Atelier does not know (“${code || "none"}”). Check the ${w.place} on ${w.platform}.` };
  }
}

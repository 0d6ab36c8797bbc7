import { useMemo } from "preact/hooks";
import type { Connection } from "../../../../worker/contracts/connections.ts";
import type { Media } from "../../../../worker/contracts/media.ts";
import { validatePost, type PostReport } from "../../../../worker/domain/post-validation.ts";
import type { Draft } from "./composer-draft.ts";

export type ValidationState = { status: "checking"; report: null } | { status: "done"; report: PostReport };

/**
 * Runs the same pure validator the API runs before storing or scheduling, on every edit, so the
 * composer shows the server's exact sentences without a round trip. It waits until every chosen
 * file's facts (type, size, dimensions, duration) are known.
 */
export function useValidation(draft: Draft, channels: Map<string, Connection>, library: Map<string, Media>): ValidationState {
  return useMemo(() => {
    const media = draft.mediaIds.map((id) => library.get(id));
    if (media.some((m) => m === undefined)) return { status: "checking", report: null };
    const report = validatePost(
      {
        text: draft.baseText,
        firstComment: draft.firstComment || null,
        media: media.filter((m): m is Media => m !== undefined),
        library: Object.fromEntries(library),
        targets: draft.targets.map((t) => {
          const c = channels.get(t.connectionId);
          return { connectionId: t.connectionId, platform: c?.platform ?? "", channelKind: c?.kind ?? null, format: t.format, options: t.options, textOverride: t.textOverride };
        }),
      },
      { status: "scheduled", scheduledLocal: draft.scheduledLocal || null, timezone: draft.timezone, now: Date.now() },
    );
    return { status: "done", report };
  }, [draft, channels, library]);
}

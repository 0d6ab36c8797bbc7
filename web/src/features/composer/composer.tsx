import { useEffect, useMemo, useState } from "preact/hooks";
import type { Connection } from "../../../../worker/contracts/connections.ts";
import type { Media } from "../../../../worker/contracts/media.ts";
import type { Post } from "../../../../worker/contracts/posts.ts";
import type { Workspace } from "../../../../worker/contracts/workspaces.ts";
import { mediaApi } from "../../api/media.ts";
import { postsApi, type PostProblem } from "../../api/posts.ts";
import { PageHeading } from "../../ui/page-heading.tsx";
import { readOnlyReason, showsPublishing } from "../publishing/post-rules.ts";
import { PublishingPanel } from "../publishing/publishing-panel.tsx";
import { PLATFORM_NAME } from "../publishing/target-states.ts";
import { useLivePost } from "../publishing/use-live-post.ts";
import { useWorkspaceSignals } from "../workspaces/workspace-context.tsx";
import { ChannelPicker } from "./channel-picker.tsx";
import { draftFromPost, emptyDraft, fieldId, isPublishing, problemsOf, textFor, type Draft, type TargetDraft } from "./composer-draft.ts";
import { ComposerActions } from "./composer-actions.tsx";
import { MediaPicker } from "./media-picker.tsx";
import { defaultFormat, FIRST_COMMENT_PLATFORMS } from "./platform-rules.ts";
import { PreviewCard } from "./preview-card.tsx";
import { ProblemList } from "./problem-list.tsx";
import { ScheduleField } from "./schedule-field.tsx";
import { TargetOptions, withFormat } from "./target-options.tsx";
import { TextEditor } from "./text-editor.tsx";
import { useAutosave } from "./use-autosave.ts";
import { useValidation } from "./use-validation.ts";

/** Options with a safe default; TikTok's privacy level and YouTube's audience are left for the person to choose. */
const DEFAULT_OPTIONS: Partial<Record<Connection["platform"], Record<string, unknown>>> = {
  linkedin: { visibility: "PUBLIC" },
  threads: { replyControl: "everyone" },
};

interface ComposerProps {
  workspace: Workspace;
  channels: Connection[];
  initial: Post | null;
  day: string | undefined;
  onCreated: (post: Post) => void;
}

/** Server-side problems from a refused save (`targets.2.options.privacyLevel`) regrouped per channel. */
function saveProblems(errors: PostProblem[] | undefined, targets: TargetDraft[]) {
  const perChannel = new Map<string, PostProblem[]>();
  const general: PostProblem[] = [];
  for (const e of errors ?? []) {
    const m = /^targets\.(\d+)\.(.+)$/.exec(e.path);
    const target = m ? targets[Number(m[1])] : undefined;
    if (m && target) perChannel.set(target.connectionId, [...(perChannel.get(target.connectionId) ?? []), { path: m[2] ?? "", message: e.message }]);
    else general.push(e);
  }
  return { perChannel, general };
}

export function Composer({ workspace, channels: all, initial, day, onCreated }: ComposerProps) {
  const byId = useMemo(() => new Map(all.map((c) => [c.id, c])), [all]);
  const [draft, setDraft] = useState<Draft>(() => (initial ? draftFromPost(initial, workspace.timezone) : emptyDraft(workspace.timezone, day)));
  const [tab, setTab] = useState("base");
  const [library, setLibrary] = useState<Map<string, Media>>(new Map());
  const saver = useAutosave(workspace.id, initial, onCreated);
  const live = useLivePost(workspace.id, saver.post);
  const nameOf = (t: Post["targets"][number]) => byId.get(t.connectionId)?.name ?? PLATFORM_NAME[t.platform];
  const readOnly = live.post ? readOnlyReason(live.post, nameOf) : null;
  // A post that went live while someone was typing keeps nothing unsent: the server would refuse it anyway.
  useEffect(() => {
    if (readOnly && saver.status === "dirty") saver.discard();
  }, [readOnly !== null, saver.status]);
  /** An action answered with the post: show it, and save later edits on top of its revision. */
  const adoptPost = (latest: Post) => {
    live.adopt(latest);
    if (latest.revision > (saver.post?.revision ?? 0)) saver.setPost(latest);
  };
  const validation = useValidation(draft, byId, library);
  const selectable = all.filter((c) => isPublishing(c) || draft.targets.some((t) => t.connectionId === c.id));

  const rememberMedia = (list: Media[]) => setLibrary((old) => new Map([...old, ...list.map((m) => [m.id, m] as const)]));
  // The validator needs each chosen file's facts: fetch the ones not seen in the library yet.
  const unknown = draft.mediaIds.filter((id) => !library.has(id)).join(",");
  useEffect(() => {
    if (!unknown) return;
    Promise.all(unknown.split(",").map((id) => mediaApi.get(workspace.id, id).catch(() => null))).then((list) => rememberMedia(list.filter((m): m is Media => m !== null)));
  }, [workspace.id, unknown]);

  // A teammate's save shows up here when there is nothing unsaved to lose.
  useWorkspaceSignals((signal) => {
    const mine = saver.post;
    if (signal.kind !== "post.changed" || !mine || signal.postId !== mine.id || signal.deleted) return;
    if (saver.status !== "clean" && saver.status !== "saved") return;
    postsApi.get(workspace.id, mine.id).then((latest) => {
      if (latest.revision <= mine.revision) return;
      saver.setPost(latest);
      setDraft(draftFromPost(latest, workspace.timezone));
    }, () => {});
  });

  const edit = (next: Draft) => {
    setDraft(next);
    saver.change(next);
  };
  const editTarget = (connectionId: string, patch: Partial<TargetDraft>) =>
    edit({ ...draft, targets: draft.targets.map((t) => (t.connectionId === connectionId ? { ...t, ...patch } : t)) });
  const mediaKinds = (ids: string[]) => ids.map((id) => ({ kind: library.get(id)?.kind ?? null }));

  const toggleChannel = (c: Connection, on: boolean) => {
    if (!on) {
      if (tab === c.id) setTab("base");
      edit({ ...draft, targets: draft.targets.filter((t) => t.connectionId !== c.id) });
      return;
    }
    const target: TargetDraft = { connectionId: c.id, format: defaultFormat(c.platform, mediaKinds(draft.mediaIds)), textOverride: null, options: { ...DEFAULT_OPTIONS[c.platform] } };
    edit({ ...draft, targets: [...draft.targets, target] });
  };

  /** New media re-picks the format of channels still on the default for the old media. */
  const changeMedia = (ids: string[]) => {
    const targets = draft.targets.map((t) => {
      const c = byId.get(t.connectionId);
      if (!c || t.format !== defaultFormat(c.platform, mediaKinds(draft.mediaIds))) return t;
      return { ...t, ...withFormat(c, defaultFormat(c.platform, mediaKinds(ids))) };
    });
    edit({ ...draft, mediaIds: ids, targets });
  };

  // A live post is not going to be saved again: its problems (a time now in the past…) are only noise.
  const report = readOnly ? null : validation.report;
  const refused = saveProblems(readOnly ? undefined : saver.error?.problem.errors, draft.targets);
  const postProblems = [...(report?.post ?? []), ...refused.general.filter((p) => !report?.post.some((r) => r.message === p.message))];
  const problemsFor = (connectionId: string) => {
    const fromReport = problemsOf(report, connectionId).all;
    const extra = (refused.perChannel.get(connectionId) ?? []).filter((p) => !fromReport.some((r) => r.message === p.message));
    const all = [...fromReport, ...extra];
    return { all, byPath: (prefix: string) => all.filter((p) => p.path === prefix || p.path.startsWith(`${prefix}.`)) };
  };
  const targetChannels = draft.targets.flatMap((t) => byId.get(t.connectionId) ?? []);
  const invalid = new Set(targetChannels.filter((c) => problemsFor(c.id).all.length > 0).map((c) => c.id));
  const mediaProblems = targetChannels.flatMap((c) => problemsFor(c.id).byPath("media").map((p) => `${c.name}: ${p.message}`));
  const firstCommentShown = targetChannels.some((c) => FIRST_COMMENT_PLATFORMS.has(c.platform));

  const goTo = (connectionId: string | null, path: string) => {
    const head = path.split(".")[0] ?? "";
    let id = connectionId ? fieldId(connectionId, path) : path === "scheduledLocal" ? "schedule-date" : path === "firstComment" ? "composer-first-comment" : "composer-base-text";
    if (head === "media") id = "composer-media";
    if (connectionId && (head === "text" || head === "textOverride")) setTab(connectionId);
    if (!connectionId && head === "baseText") setTab("base");
    requestAnimationFrame(() => {
      const el = document.getElementById(id);
      el?.scrollIntoView({ block: "center" });
      el?.focus();
    });
  };

  const heading = readOnly ? "Post" : initial || saver.post ? "Edit post" : "New post";
  const panelPost = live.post && showsPublishing(live.post) ? live.post : null;
  return (
    <section class="page composer">
      <PageHeading title={heading}>{heading}</PageHeading>
      {live.gone && (
        <p class="alert alert-warning" role="alert">
          This post was deleted. <a href={`/w/${workspace.id}/calendar`}>Back to the calendar</a>
        </p>
      )}
      {panelPost && (
        <PublishingPanel
          workspace={workspace}
          post={panelPost}
          channels={byId}
          nameOf={nameOf}
          ledgerVersion={live.ledgerVersion}
          error={live.error}
          onPost={adoptPost}
          onDeleting={saver.discard}
        />
      )}
      {readOnly && (
        <p class="alert alert-info readonly-note" data-testid="composer-read-only">
          {readOnly}
        </p>
      )}
      <div class="composer-layout">
        <div class="composer-main">
          <fieldset class="composer-fields" disabled={readOnly !== null}>
            <legend class="visually-hidden">{readOnly ? "Post content (read-only)" : "Post content"}</legend>
          <ChannelPicker channels={selectable} selected={new Set(draft.targets.map((t) => t.connectionId))} invalid={invalid} onToggle={toggleChannel} />
          {selectable.length === 0 && (
            <p class="card empty-note">
              No channels are connected yet. <a href={`/w/${workspace.id}/accounts`}>Connect an account</a> to start composing.
            </p>
          )}
          <TextEditor
            draft={draft}
            channels={byId}
            tab={tab}
            onTab={setTab}
            onBaseText={(baseText) => edit({ ...draft, baseText })}
            onOverride={(id, text) => editTarget(id, { textOverride: text })}
            problems={problemsFor}
          />
          <MediaPicker workspaceId={workspace.id} mediaIds={draft.mediaIds} library={library} problems={mediaProblems} onChange={changeMedia} onLibrary={rememberMedia} />
          {firstCommentShown && (
            <div class="composer-section field">
              <label for="composer-first-comment" class="field-label">
                First comment (Facebook and Instagram)
              </label>
              <textarea id="composer-first-comment" class="input" rows={2} value={draft.firstComment} onInput={(e) => edit({ ...draft, firstComment: e.currentTarget.value })} />
            </div>
          )}
          {targetChannels.map((c) => {
            const t = draft.targets.find((x) => x.connectionId === c.id);
            return t ? <TargetOptions key={c.id} channel={c} target={t} problems={problemsFor(c.id)} media={draft.mediaIds.map((m) => library.get(m))} onChange={(patch) => editTarget(c.id, patch)} /> : null;
          })}
          <ScheduleField
            local={draft.scheduledLocal}
            timezone={draft.timezone}
            error={postProblems.find((p) => p.path === "scheduledLocal")?.message}
            onChange={(scheduledLocal, timezone) => edit({ ...draft, scheduledLocal, timezone })}
          />
          </fieldset>
          {!readOnly && (
            <>
              <ProblemList channels={targetChannels} problemsOf={(id) => problemsFor(id).all} general={postProblems.filter((p) => p.path !== "scheduledLocal")} onGoTo={goTo} />
              <ComposerActions workspace={workspace} draft={draft} saver={saver} validation={validation} invalidCount={invalid.size} canDelete={!panelPost} />
            </>
          )}
        </div>
        <aside class="composer-previews" aria-label="Previews">
          <h2 class="field-label">Previews</h2>
          {targetChannels.length === 0 && <p class="muted small">Choose a channel to see how the post will look.</p>}
          {targetChannels.map((c) => {
            const t = draft.targets.find((x) => x.connectionId === c.id);
            if (!t) return null;
            return (
              <PreviewCard
                key={c.id}
                channel={c}
                text={textFor(draft, t)}
                format={t.format}
                media={draft.mediaIds.map((id) => library.get(id))}
                firstComment={FIRST_COMMENT_PLATFORMS.has(c.platform) && draft.firstComment.trim() ? draft.firstComment : null}
                title={c.platform === "youtube" && typeof t.options.title === "string" ? t.options.title : undefined}
                problemCount={problemsFor(c.id).all.length}
              />
            );
          })}
        </aside>
      </div>
    </section>
  );
}

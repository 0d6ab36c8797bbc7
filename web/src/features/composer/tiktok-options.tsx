import { useEffect, useRef } from "preact/hooks";
import { Avatar } from "../../ui/avatar.tsx";
import { useWorkspace } from "../workspaces/workspace-context.tsx";
import { optionControls, type OptionSectionProps } from "./option-fields.tsx";
import { TiktokDisclosure } from "./tiktok-disclosure.tsx";
import { durationWarning, enforcedTiktokOptions, formatSeconds, postModeOf, privacyChoices } from "./tiktok-creator.ts";
import { useTiktokCreatorInfo } from "./use-tiktok-creator.ts";

/**
 * TikTok's options as its UX guidelines want them: who is posting, only the privacy levels the creator
 * may use (none preselected), the switches the creator turned off shown disabled, the creator's
 * duration limit, and Direct Post or an inbox draft. While TikTok's answer is missing the general
 * choices stay usable and the reason is shown.
 */
export function TiktokOptions(props: OptionSectionProps & { videoDurationMs: number | null }) {
  const { id: workspaceId } = useWorkspace();
  const creator = useTiktokCreatorInfo(workspaceId, props.channel.id);
  const info = creator.status === "ready" ? creator.info : null;
  const controls = optionControls(props);
  const { id, messages, opt, setMany, select, toggle } = controls;
  const box = useRef<HTMLDivElement>(null);

  // A read-only (published) post sits in a disabled fieldset: it is never rewritten, only shown.
  const forced = enforcedTiktokOptions(info, opt);
  const forcedKey = forced ? JSON.stringify(forced) : "";
  useEffect(() => {
    if (forced && !box.current?.closest("fieldset[disabled]")) setMany(forced);
  }, [forcedKey]);

  const mode = postModeOf(opt);
  const who = info ? info.nickname : props.channel.name;
  const branded = opt.brandContentToggle === true;
  const warning = durationWarning(info, props.videoDurationMs);
  const lockedBy = (off: boolean | undefined) => (off ? `Turned off in ${who}'s TikTok settings.` : undefined);

  return (
    <div class="tiktok-options" ref={box}>
      {creator.status === "loading" && <p class="muted small" role="status">Checking what TikTok allows for this account…</p>}
      {creator.status === "unavailable" && (
        <p class="alert alert-warning" data-testid="tiktok-creator-problem">
          TikTok's settings for this account could not be loaded: {creator.detail} The general TikTok choices are shown instead.
        </p>
      )}
      {info && (
        <div class="tiktok-creator">
          <Avatar name={info.nickname} src={info.avatarUrl} size="md" label="" />
          <p class="tiktok-creator-name">
            <span class="muted small">Posting to TikTok as</span>
            <strong>{info.nickname}</strong>
            <span class="muted">@{info.username}</span>
          </p>
        </div>
      )}
      {info && !info.canPost && (
        <p class="alert alert-error" role="alert">
          {info.cannotPostReason ?? "TikTok is not accepting new posts from this account right now."} Try again later.
        </p>
      )}
      {info && (
        <p class={warning ? "field-error" : "field-hint"}>
          {warning ? `⚠ ${warning}` : `${who} can post videos of up to ${formatSeconds(info.maxVideoPostDurationSec)}.`}
        </p>
      )}

      <fieldset class="choice-group" aria-describedby={messages("options.postMode").length ? `${id("options.postMode")}-error` : undefined}>
        <legend class="field-label">How to post</legend>
        <label class="radio-option">
          <input
            id={id("options.postMode")}
            type="radio"
            name={`${id("options.postMode")}-choice`}
            checked={mode === "direct"}
            disabled={info?.directPostAvailable === false}
            onChange={() => setMany({ postMode: "direct" })}
          />
          <span>
            <strong>Post directly</strong>
            <span class="field-hint">The video goes live on TikTok at the scheduled time.</span>
          </span>
        </label>
        <label class="radio-option">
          <input type="radio" name={`${id("options.postMode")}-choice`} checked={mode === "inbox"} onChange={() => setMany({ postMode: "inbox", privacyLevel: undefined })} />
          <span>
            <strong>Send to TikTok inbox as a draft</strong>
            <span class="field-hint">At the scheduled time the video arrives in {who}'s TikTok inbox; finish and post it in the TikTok app.</span>
          </span>
        </label>
        {info?.directPostAvailable === false && (
          <p class="field-hint">This connection may only send drafts: TikTok did not grant Direct Post. Reconnect TikTok and allow posting to publish directly.</p>
        )}
        {messages("options.postMode").length > 0 && (
          <p id={`${id("options.postMode")}-error`} class="field-error">
            ⚠ {messages("options.postMode").join(" ")}
          </p>
        )}
      </fieldset>

      {mode === "inbox" ? (
        <div class="field">
          <p class="field-label">Who can view this video</p>
          <p class="field-hint" id={id("options.privacyLevel")} tabIndex={-1}>
            In inbox mode, {who} chooses who can view the video, and whether comments, Duet and Stitch are allowed, in the TikTok app when finishing the post.
          </p>
          {messages("options.privacyLevel").length > 0 && <p class="field-error">⚠ {messages("options.privacyLevel").join(" ")}</p>}
        </div>
      ) : (
        <>
          {select("privacyLevel", "Who can view this video", privacyChoices(info), {
            placeholder: "Choose who can view…",
            disabled: (level) => branded && level === "SELF_ONLY",
            hint: branded ? "Branded content visibility cannot be set to private." : undefined,
          })}
          <div class="switches">
            {toggle("disableComment", "Allow comments", { invert: true, locked: lockedBy(info?.commentDisabled) })}
            {toggle("disableDuet", "Allow Duet", { invert: true, locked: lockedBy(info?.duetDisabled) })}
            {toggle("disableStitch", "Allow Stitch", { invert: true, locked: lockedBy(info?.stitchDisabled) })}
          </div>
          {toggle("isAigc", "AI-generated content")}
          <TiktokDisclosure controls={controls} />
        </>
      )}
    </div>
  );
}

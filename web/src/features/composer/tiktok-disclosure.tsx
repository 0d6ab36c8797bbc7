import { useState } from "preact/hooks";
import type { optionControls } from "./option-fields.tsx";

const MUSIC_USAGE = "https://www.tiktok.com/legal/page/global/music-usage-confirmation/en";
const BRANDED_CONTENT_POLICY = "https://www.tiktok.com/legal/page/global/bc-policy/en";

/**
 * TikTok's commercial-content disclosure, in the words its Content Sharing Guidelines require: one
 * "Disclose video content" switch revealing "Your brand" (brand_organic_toggle) and "Branded content"
 * (brand_content_toggle), the label TikTok will show, and the consent sentence above the post button.
 */
export function TiktokDisclosure({ controls }: { controls: ReturnType<typeof optionControls> }) {
  const { opt, id, setMany } = controls;
  const yourBrand = opt.brandOrganicToggle === true;
  const branded = opt.brandContentToggle === true;
  const [open, setOpen] = useState(yourBrand || branded);
  const switchId = id("options.disclose");

  return (
    <fieldset class="disclosure">
      <legend class="field-label">Content disclosure</legend>
      <label class="switch">
        <input
          id={switchId}
          type="checkbox"
          role="switch"
          checked={open}
          aria-describedby={`${switchId}-hint`}
          onChange={(e) => {
            const on = e.currentTarget.checked;
            setOpen(on);
            if (!on) setMany({ brandOrganicToggle: false, brandContentToggle: false });
          }}
        />
        <span>Disclose video content</span>
      </label>
      <p id={`${switchId}-hint`} class="field-hint">
        Turn on to disclose that this video promotes goods or services in exchange for something of value. Your video could promote yourself, a third party, or both.
      </p>
      {open && (
        <div class="disclosure-choices">
          <label class="check-option">
            <input type="checkbox" id={id("options.brandOrganicToggle")} checked={yourBrand} onChange={(e) => setMany({ brandOrganicToggle: e.currentTarget.checked })} />
            <span>
              <strong>Your brand</strong>
              <span class="field-hint">You are promoting yourself or your own business. This video will be classified as Brand Organic.</span>
            </span>
          </label>
          <label class="check-option">
            <input type="checkbox" id={id("options.brandContentToggle")} checked={branded} onChange={(e) => setMany({ brandContentToggle: e.currentTarget.checked })} />
            <span>
              <strong>Branded content</strong>
              <span class="field-hint">You are promoting another brand or a third party. This video will be classified as Branded Content.</span>
            </span>
          </label>
          {!yourBrand && !branded ? (
            <p class="field-error">⚠ You need to indicate if your content promotes yourself, a third party, or both.</p>
          ) : (
            <p class="field-hint" role="status">
              Your video will be labeled as {branded ? "“Paid partnership”" : "“Promotional content”"}.
            </p>
          )}
        </div>
      )}
      <p class="small tiktok-consent">
        By posting, you agree to TikTok's{" "}
        {branded && (
          <>
            <a href={BRANDED_CONTENT_POLICY} target="_blank" rel="noopener noreferrer">
              Branded Content Policy
            </a>{" "}
            and{" "}
          </>
        )}
        <a href={MUSIC_USAGE} target="_blank" rel="noopener noreferrer">
          Music Usage Confirmation
        </a>
        .
      </p>
    </fieldset>
  );
}

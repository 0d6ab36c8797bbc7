import type { Platform } from "../../../../worker/contracts/connections.ts";
import { PLATFORM_MARK } from "./channel-labels.ts";

/** The platform's colour tile; decorative, since its name is always written next to it. */
export function PlatformMark({ platform }: { platform: Platform }) {
  return (
    <span class={`platform-mark platform-${platform}`} aria-hidden="true">
      {PLATFORM_MARK[platform]}
    </span>
  );
}

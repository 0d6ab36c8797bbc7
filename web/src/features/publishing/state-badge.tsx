import type { TargetState } from "../../../../worker/publishing/states.ts";
import { STATE_LABEL } from "./target-states.ts";
import "./state-colours.css";

/** A channel's ledger state as a coloured pill; the text carries the meaning, the colour only repeats it. */
export function StateBadge({ state, testId, label }: { state: TargetState; testId?: string; label?: string }) {
  return (
    <span class={`state-badge state-${state}`} data-state={state} data-testid={testId}>
      {label ?? STATE_LABEL[state]}
    </span>
  );
}

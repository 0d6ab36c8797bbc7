import type { ComponentChildren } from "preact";
import { useId } from "preact/hooks";
import type { Rule, RuleHitStats } from "../../../../worker/contracts/inbox-rules.ts";
import { Button } from "../../ui/button.tsx";
import { formatRelative } from "../../ui/time.tsx";
import { ruleLimits, ruleSummary, type SummaryNames } from "./rule-summary.ts";

interface Props {
  rule: Rule;
  position: number;
  total: number;
  names: SummaryNames;
  hits: RuleHitStats;
  canEdit: boolean;
  hitsOpen: boolean;
  busy: boolean;
  onToggle: (enabled: boolean) => void;
  onMove: (direction: -1 | 1) => void;
  onEdit: () => void;
  onHits: () => void;
  onDelete: () => void;
  /** The hit log, when open. */
  children?: ComponentChildren;
}

function hitsText(hits: RuleHitStats): string {
  if (hits.count === 0) return "No hits yet";
  return `${hits.count} ${hits.count === 1 ? "hit" : "hits"} · last ${formatRelative(hits.lastAt ?? new Date())}`;
}

/** One rule in the list: its switch, its sentence, and what can be done with it. */
export function RuleRow({ rule, position, total, names, hits, canEdit, hitsOpen, busy, onToggle, onMove, onEdit, onHits, onDelete, children }: Props) {
  const id = useId();
  const limits = ruleLimits(rule);
  return (
    <li class={rule.enabled ? "card rule-row" : "card rule-row rule-off"} data-rule-id={rule.id} aria-labelledby={`${id}-name`}>
      <div class="rule-row-head">
        <label class="rule-switch">
          <input type="checkbox" role="switch" checked={rule.enabled} disabled={!canEdit || busy} aria-labelledby={`${id}-name ${id}-state`} onChange={(e) => onToggle(e.currentTarget.checked)} />
          <span id={`${id}-state`} class="rule-switch-state">
            {rule.enabled ? "On" : "Off"}
          </span>
        </label>
        <h3 id={`${id}-name`} class="rule-name">
          {rule.name}
        </h3>
        <span class="muted rule-hits">{hitsText(hits)}</span>
      </div>
      <p class="rule-summary">{ruleSummary(rule, names)}</p>
      {limits.length > 0 && <p class="muted rule-limits">{limits.join(" · ")}</p>}
      <div class="row rule-row-actions">
        {canEdit && (
          <>
            <Button size="sm" variant="ghost" disabled={position === 0 || busy} aria-label={`Move ${rule.name} up`} onClick={() => onMove(-1)}>
              ↑ Up
            </Button>
            <Button size="sm" variant="ghost" disabled={position === total - 1 || busy} aria-label={`Move ${rule.name} down`} onClick={() => onMove(1)}>
              ↓ Down
            </Button>
            <Button size="sm" onClick={onEdit} aria-label={`Edit ${rule.name}`}>
              Edit
            </Button>
          </>
        )}
        <Button size="sm" aria-expanded={hitsOpen} onClick={onHits} aria-label={`Hit log of ${rule.name}`}>
          Hit log
        </Button>
        {canEdit && (
          <Button size="sm" variant="ghost" onClick={onDelete} aria-label={`Delete ${rule.name}`}>
            Delete
          </Button>
        )}
      </div>
      {children}
    </li>
  );
}

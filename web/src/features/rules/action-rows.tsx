import { useId } from "preact/hooks";
import type { RuleActionType } from "../../../../worker/contracts/inbox-rules.ts";
import { COMMENT_ONLY_ACTIONS, DM_ONLY_ACTIONS } from "../../../../worker/contracts/inbox-rules.ts";
import type { Member } from "../../../../worker/contracts/workspaces.ts";
import { Button } from "../../ui/button.tsx";
import { ACTION_LABEL, blankAction, TEXT_ACTIONS, type ActionDraft, type FormField, type KindChoice } from "./rule-form.ts";

interface Props {
  actions: ActionDraft[];
  kinds: KindChoice;
  members: Member[];
  errors: Partial<Record<FormField, string>>;
  onChange: (actions: ActionDraft[]) => void;
}

const ALL_TYPES = Object.keys(ACTION_LABEL) as RuleActionType[];

/** Only the actions that make sense for the kinds watched are offered (the server checks it too). */
function typesFor(kinds: KindChoice): RuleActionType[] {
  if (kinds === "comments") return ALL_TYPES.filter((t) => !DM_ONLY_ACTIONS.includes(t));
  if (kinds === "dm") return ALL_TYPES.filter((t) => !COMMENT_ONLY_ACTIONS.includes(t));
  return ALL_TYPES.filter((t) => !DM_ONLY_ACTIONS.includes(t) && !COMMENT_ONLY_ACTIONS.includes(t));
}

function ActionRow(props: { index: number; action: ActionDraft; types: RuleActionType[]; members: Member[]; error: string | undefined; onChange: (a: ActionDraft) => void; onRemove: (() => void) | null }) {
  const id = useId();
  const { action, index } = props;
  const errorId = `${id}-error`;
  const describedBy = props.error ? errorId : undefined;
  const types = props.types.includes(action.type) ? props.types : [action.type, ...props.types];
  return (
    <li class={props.error ? "rule-action field-invalid" : "rule-action"}>
      <div class="row">
        <label for={`${id}-type`} class="field-label">
          Action {index + 1}
        </label>
        <select id={`${id}-type`} class="input select rule-action-type" value={action.type} aria-invalid={props.error ? true : undefined} aria-describedby={describedBy} onChange={(e) => props.onChange({ ...action, type: e.currentTarget.value as RuleActionType })}>
          {types.map((t) => (
            <option key={t} value={t}>
              {ACTION_LABEL[t]}
            </option>
          ))}
        </select>
        {props.onRemove && (
          <Button size="sm" variant="ghost" onClick={props.onRemove} aria-label={`Remove action ${index + 1}`}>
            Remove
          </Button>
        )}
      </div>
      {TEXT_ACTIONS.includes(action.type) && (
        <>
          <label for={`${id}-text`} class="visually-hidden">
            Message for action {index + 1}
          </label>
          <textarea id={`${id}-text`} class="input" rows={2} maxLength={2000} value={action.text} placeholder="Hi {first_name}, thanks for asking! We sent you the details." aria-describedby={describedBy} onInput={(e) => props.onChange({ ...action, text: e.currentTarget.value })} />
        </>
      )}
      {action.type === "assign" && (
        <>
          <label for={`${id}-user`} class="visually-hidden">
            Assign to
          </label>
          <select id={`${id}-user`} class="input select" value={action.userId} aria-describedby={describedBy} onChange={(e) => props.onChange({ ...action, userId: e.currentTarget.value })}>
            <option value="">Choose a member…</option>
            {props.members.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.name}
              </option>
            ))}
          </select>
        </>
      )}
      {action.type === "tag" && (
        <>
          <label for={`${id}-tag`} class="visually-hidden">
            Tag
          </label>
          <input id={`${id}-tag`} class="input" maxLength={40} value={action.tag} placeholder="pricing" aria-describedby={describedBy} onInput={(e) => props.onChange({ ...action, tag: e.currentTarget.value })} />
        </>
      )}
      {props.error && (
        <p id={errorId} class="field-error">
          <span aria-hidden="true">⚠ </span>
          {props.error}
        </p>
      )}
    </li>
  );
}

/** The ordered list of what a rule does. */
export function ActionRows({ actions, kinds, members, errors, onChange }: Props) {
  const types = typesFor(kinds);
  const replace = (index: number, next: ActionDraft) => onChange(actions.map((a, i) => (i === index ? next : a)));
  return (
    <fieldset class="rule-fieldset">
      <legend>Then</legend>
      <ol class="rule-actions">
        {actions.map((action, index) => (
          <ActionRow
            key={index}
            index={index}
            action={action}
            types={types}
            members={members}
            error={errors[`actions.${index}`]}
            onChange={(next) => replace(index, next)}
            onRemove={actions.length > 1 ? () => onChange(actions.filter((_, i) => i !== index)) : null}
          />
        ))}
      </ol>
      {errors.actions && (
        <p class="field-error">
          <span aria-hidden="true">⚠ </span>
          {errors.actions}
        </p>
      )}
      <p class="field-hint">
        Messages can use <code>{"{first_name}"}</code>, <code>{"{name}"}</code>, <code>{"{channel}"}</code> and <code>{"{text}"}</code> (the start of the message being answered). An unknown name is left out.
      </p>
      {actions.length < 10 && (
        <Button size="sm" onClick={() => onChange([...actions, blankAction(types.includes("tag") ? "tag" : (types[0] ?? "tag"))])}>
          Add an action
        </Button>
      )}
    </fieldset>
  );
}

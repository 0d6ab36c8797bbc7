import { useId, useRef, useState } from "preact/hooks";
import type { z } from "zod";
import type { Connection } from "../../../../worker/contracts/connections.ts";
import type { DryRunResult, Rule } from "../../../../worker/contracts/inbox-rules.ts";
import type { Member } from "../../../../worker/contracts/workspaces.ts";
import { toApiError } from "../../api/problem.ts";
import { FormAlert } from "../../ui/alert.tsx";
import { Button } from "../../ui/button.tsx";
import { TextInput } from "../../ui/field.tsx";
import { ActionRows } from "./action-rows.tsx";
import { DryRunResults } from "./dry-run-results.tsx";
import { RuleConditionsFields } from "./rule-conditions.tsx";
import { blankRuleForm, errorsByField, formToInput, ruleToForm, type FormField, type RuleForm } from "./rule-form.ts";
import { rulesApi } from "./rules-api.ts";

interface Props {
  workspaceId: string;
  /** null for a new rule. */
  rule: Rule | null;
  nextPriority: number;
  connections: Connection[];
  members: Member[];
  onSaved: (rule: Rule) => void;
  onCancel: () => void;
}

const DRY_RUN_SIZES = [20, 50, 100, 200];

/**
 * Creates or edits a rule. Nothing is checked here that the server checks: its sentences are shown at
 * their fields, and focus moves to the first field in error (or to the alert) so a keyboard or screen
 * reader user lands on what needs attention. "Try it" runs the unsaved rule against recent messages.
 */
export function RuleEditor({ workspaceId, rule, nextPriority, connections, members, onSaved, onCancel }: Props) {
  const id = useId();
  const [form, setForm] = useState<RuleForm>(() => (rule ? ruleToForm(rule) : blankRuleForm(nextPriority)));
  const [errors, setErrors] = useState<Partial<Record<FormField, string>>>({});
  const [busy, setBusy] = useState<"save" | "dry-run" | null>(null);
  const [dryRunSize, setDryRunSize] = useState(50);
  const [dryRun, setDryRun] = useState<z.infer<typeof DryRunResult> | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const update = (patch: Partial<RuleForm>) => setForm((f) => ({ ...f, ...patch }));
  const memberName = (userId: string) => members.find((m) => m.userId === userId)?.name ?? "a former member";

  const showErrors = (err: unknown) => {
    const problem = toApiError(err).problem;
    const byField = errorsByField(problem.errors ?? []);
    if (!problem.errors?.length) byField.form = problem.detail;
    else if (byField.form === undefined) byField.form = problem.detail;
    setErrors(byField);
    requestAnimationFrame(() => {
      const invalid = formRef.current?.querySelector<HTMLElement>("[aria-invalid='true']");
      (invalid ?? alertRef.current)?.focus();
    });
  };

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy("save");
    setErrors({});
    try {
      const body = formToInput(form);
      onSaved(rule ? await rulesApi.patch(workspaceId, rule.id, body) : await rulesApi.create(workspaceId, body));
    } catch (err) {
      showErrors(err);
    } finally {
      setBusy(null);
    }
  };

  const tryIt = async () => {
    setBusy("dry-run");
    setErrors({});
    setDryRun(null);
    try {
      setDryRun(await rulesApi.dryRun(workspaceId, { rule: formToInput(form), last: dryRunSize }));
    } catch (err) {
      showErrors(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <form ref={formRef} class="card rule-editor stack" onSubmit={save} aria-labelledby={`${id}-title`} noValidate>
      <h2 id={`${id}-title`}>{rule ? `Edit “${rule.name}”` : "New rule"}</h2>
      <FormAlert alertRef={alertRef}>{errors.form}</FormAlert>
      <TextInput label="Name" value={form.name} maxLength={100} error={errors.name} onInput={(e) => update({ name: e.currentTarget.value })} />
      <RuleConditionsFields form={form} connections={connections} errors={errors} update={update} />
      <ActionRows actions={form.actions} kinds={form.kinds} members={members} errors={errors} onChange={(actions) => update({ actions })} />
      <fieldset class="rule-fieldset">
        <legend>Limits</legend>
        <TextInput label="Cooldown per person (minutes)" inputMode="numeric" value={form.cooldownMinutes} error={errors.cooldown} hint="After acting for someone, wait this long before acting for them again. 0 means no wait." onInput={(e) => update({ cooldownMinutes: e.currentTarget.value })} />
        <label class="rule-check">
          <input type="checkbox" checked={form.useQuietHours} onChange={(e) => update({ useQuietHours: e.currentTarget.checked })} /> Quiet hours (in the workspace's time zone)
        </label>
        {form.useQuietHours && (
          <div class="row">
            <TextInput label="From" value={form.quietFrom} placeholder="22:00" error={errors.quietHours} onInput={(e) => update({ quietFrom: e.currentTarget.value })} />
            <TextInput label="To" value={form.quietTo} placeholder="07:00" onInput={(e) => update({ quietTo: e.currentTarget.value })} />
          </div>
        )}
        <label class="rule-check">
          <input type="checkbox" checked={form.stopAfterMatch} onChange={(e) => update({ stopAfterMatch: e.currentTarget.checked })} /> Stop after this rule matches (later rules are skipped for that message)
        </label>
        <label class="rule-check">
          <input type="checkbox" checked={form.enabled} onChange={(e) => update({ enabled: e.currentTarget.checked })} /> Turned on
        </label>
      </fieldset>
      <div class="row rule-editor-actions">
        <Button type="submit" variant="primary" busy={busy === "save"}>
          {busy === "save" ? "Saving…" : "Save rule"}
        </Button>
        <label for={`${id}-last`} class="visually-hidden">
          Messages to try against
        </label>
        <select id={`${id}-last`} class="input select rule-dry-run-size" value={String(dryRunSize)} onChange={(e) => setDryRunSize(Number(e.currentTarget.value))}>
          {DRY_RUN_SIZES.map((n) => (
            <option key={n} value={String(n)}>
              Last {n} messages
            </option>
          ))}
        </select>
        <Button busy={busy === "dry-run"} onClick={() => void tryIt()}>
          {busy === "dry-run" ? "Trying…" : "Try it"}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
      {dryRun && <DryRunResults result={dryRun} memberName={memberName} />}
    </form>
  );
}

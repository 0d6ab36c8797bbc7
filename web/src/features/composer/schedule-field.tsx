import { viewerTimeZone } from "../../ui/time.tsx";
import { clockOf, convertLocal, dayOf, formatClockTime, formatDay } from "../../ui/zoned-date.ts";
import { useMemo } from "preact/hooks";
import { Select } from "../../ui/field.tsx";
import { timeZoneOptions } from "../workspaces/time-zone-select.tsx";

interface ScheduleFieldProps {
  local: string;
  timezone: string;
  error?: string | undefined;
  onChange: (local: string, timezone: string) => void;
}

/** Date and time on the chosen zone's clock, with what that is on the viewer's own clock. */
export function ScheduleField({ local, timezone, error, onChange }: ScheduleFieldProps) {
  const viewer = viewerTimeZone();
  const zones = useMemo(() => timeZoneOptions([timezone]), [timezone]);
  const valid = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(local);
  const mine = valid && viewer !== timezone ? convertLocal(local, timezone, viewer) : null;
  return (
    <fieldset class="composer-section schedule-field">
      <legend class="field-label">When</legend>
      <div class="schedule-inputs">
        <div class="field">
          <label for="schedule-date" class="field-label">
            Date
          </label>
          <input
            id="schedule-date"
            type="date"
            class="input"
            value={dayOf(local)}
            aria-invalid={error ? true : undefined}
            aria-describedby="schedule-explain"
            onChange={(e) => e.currentTarget.value && onChange(`${e.currentTarget.value}T${clockOf(local) || "09:00"}`, timezone)}
          />
        </div>
        <div class="field">
          <label for="schedule-time" class="field-label">
            Time
          </label>
          <input
            id="schedule-time"
            type="time"
            class="input"
            value={clockOf(local)}
            aria-invalid={error ? true : undefined}
            aria-describedby="schedule-explain"
            onChange={(e) => e.currentTarget.value && onChange(`${dayOf(local)}T${e.currentTarget.value}`, timezone)}
          />
        </div>
        <Select id="schedule-zone" label="Time zone" value={timezone} options={zones} onChange={(e) => onChange(local, e.currentTarget.value)} />
      </div>
      <p id="schedule-explain" class="field-hint schedule-explain">
        {valid && (
          <>
            {formatDay(dayOf(local))}, {formatClockTime(clockOf(local))} in {timezone}
            {mine && (
              <>
                {" "}
                = {mine.slice(0, 10) !== dayOf(local) ? `${formatDay(dayOf(mine), { weekday: "short", month: "short", day: "numeric" })}, ` : ""}
                {formatClockTime(clockOf(mine))} your time ({viewer})
              </>
            )}
          </>
        )}
      </p>
      {error && <p class="field-error">⚠ {error}</p>}
    </fieldset>
  );
}

/** Formatting of instants in named IANA zones; the viewer's zone is the browser's. */
export const viewerTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

export function formatDateTime(at: Date | string, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(at));
}

export function formatClock(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { weekday: "short", hour: "numeric", minute: "2-digit", timeZone }).format(at);
}

/** "CET", "GMT+2", … for labelling a time with its zone. */
export function zoneAbbreviation(at: Date | string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat(undefined, { timeZoneName: "short", timeZone }).formatToParts(new Date(at));
  return parts.find((p) => p.type === "timeZoneName")?.value ?? timeZone;
}

/**
 * An instant shown in the viewer's zone, with the workspace's zone alongside when it differs,
 * so teams spread across zones read the same moment the same way.
 */
export function DualTime({ at, workspaceZone }: { at: string; workspaceZone: string }) {
  const viewer = viewerTimeZone();
  const mine = `${formatDateTime(at, viewer)} ${zoneAbbreviation(at, viewer)}`;
  const same = formatDateTime(at, viewer) === formatDateTime(at, workspaceZone);
  return (
    <time dateTime={at} class="dual-time">
      <span>{mine}</span>
      {!same && (
        <span class="dual-time-alt">
          {formatDateTime(at, workspaceZone)} {zoneAbbreviation(at, workspaceZone)} <span class="visually-hidden">in the workspace's time zone</span>
        </span>
      )}
    </time>
  );
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600_000],
  ["month", 30 * 24 * 3600_000],
  ["day", 24 * 3600_000],
  ["hour", 3600_000],
  ["minute", 60_000],
];

/** "in 59 days", "3 hours ago", "now": the largest unit that fits. */
export function formatRelative(at: Date | string, now: Date = new Date()): string {
  // Whole minutes first, so 59 min 50 s reads "in 1 hour" rather than "in 60 minutes".
  const diff = Math.round((new Date(at).getTime() - now.getTime()) / 60_000) * 60_000;
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  for (const [unit, ms] of UNITS) if (Math.abs(diff) >= ms) return format.format(Math.round(diff / ms), unit);
  return format.format(0, "minute");
}

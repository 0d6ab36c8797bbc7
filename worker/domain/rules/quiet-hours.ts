/** Quiet hours of a rule: a daily window of local wall-clock time in the workspace's time zone. */
export type QuietHours = { from: string; to: string };

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Minutes since local midnight at `instant` in `timeZone` (DST-aware: Intl does the conversion). */
export function localMinutes(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date(instant));
  const hour = Number(parts.find((p) => p.type === "hour")?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === "minute")?.value ?? 0);
  return hour * 60 + minute;
}

/**
 * True when `instant` falls in [from, to) local time. A window whose end is before its start wraps
 * midnight (22:00–07:00). On DST days the local clock decides: with 01:00–03:00 quiet hours on the
 * night clocks jump from 02:00 to 03:00, quiet hours last one real hour.
 */
export function inQuietHours(quiet: QuietHours, instant: number, timeZone: string): boolean {
  const now = localMinutes(instant, timeZone);
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  return from < to ? now >= from && now < to : now >= from || now < to;
}

/** "Next try at 14:05 (in 5 minutes)" for a channel the engine will try again. */
export function nextTryText(at: string, now: Date, timeZone: string, locale?: string): string {
  const when = new Date(at);
  const ms = when.getTime() - now.getTime();
  // The queue may run a few seconds late; a time just passed means "any moment", not "ago".
  if (ms <= 30_000) return "Trying again now";
  const clock = new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit", timeZone }).format(when);
  const day = (d: Date) => new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone }).format(d);
  const date = day(when) === day(now) ? clock : `${new Intl.DateTimeFormat(locale, { weekday: "short", month: "short", day: "numeric", timeZone }).format(when)}, ${clock}`;
  return `Next try at ${date} (${inAbout(ms, locale)})`;
}

/** The largest whole unit that fits, never "in 0 minutes". */
function inAbout(ms: number, locale?: string): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return "in less than a minute";
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "always" });
  if (minutes < 60) return format.format(minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (hours < 24) return format.format(hours, "hour");
  return format.format(Math.round(hours / 24), "day");
}

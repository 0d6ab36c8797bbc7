/**
 * Wall-clock dates and times in named IANA zones, without a date library. A "local" value is
 * `YYYY-MM-DDTHH:mm` as read on a clock in that zone; a "day" is `YYYY-MM-DD`. Grids are built from
 * days (never by adding 24 h to an instant), so DST changes cannot shift a cell. Zone arithmetic is the
 * server's own (worker/domain/schedule-time), so the UI and the API agree on every DST edge.
 */
import { instantToLocal, localToInstant, offsetAt } from "../../../worker/domain/schedule-time.ts";

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The wall clock in `timeZone` at `instant`, as `YYYY-MM-DDTHH:mm`. */
export const toLocal = (instant: Date | string, timeZone: string): string => instantToLocal(new Date(instant).getTime(), timeZone).slice(0, 16);

/**
 * The instant a wall-clock time in `timeZone` names, as the server resolves it (a repeated time is its
 * first occurrence). A time skipped by a DST jump, which the server refuses with a sentence, is placed
 * with the offset before the jump so a grid can still draw it.
 */
export function fromLocal(local: string, timeZone: string): Date {
  const resolved = localToInstant(local.slice(0, 16), timeZone);
  if (resolved.ok) return new Date(resolved.instant);
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) throw new Error(`Not a local date-time: ${local}`);
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  return new Date(asUtc - offsetAt(asUtc - 24 * 3600_000, timeZone));
}

/** Moves a wall-clock time from one zone to another (the same instant). */
export const convertLocal = (local: string, from: string, to: string): string => (from === to ? local.slice(0, 16) : toLocal(fromLocal(local, from), to));

export const dayOf = (local: string): string => local.slice(0, 10);
export const clockOf = (local: string): string => local.slice(11, 16);

/** Adds whole calendar days to a `YYYY-MM-DD` (zone-free arithmetic). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayIndex(day: string): number {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

export const startOfWeek = (day: string): string => addDays(day, -weekdayIndex(day));
export const startOfMonth = (day: string): string => `${day.slice(0, 7)}-01`;

export function addMonths(day: string, n: number): string {
  const [y, m] = day.split("-").map(Number) as [number, number];
  const t = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-01`;
}

/** Today's date on a wall clock in `timeZone`. */
export const todayIn = (timeZone: string, now: Date = new Date()): string => dayOf(toLocal(now, timeZone));

/** "Monday, March 30, 2026" for a `YYYY-MM-DD` (formatted as a UTC date so no zone shifts it). */
export function formatDay(day: string, options: Intl.DateTimeFormatOptions = { weekday: "long", month: "long", day: "numeric", year: "numeric" }): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(undefined, { ...options, timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, d, 12)));
}

/** "9:00 AM" for `HH:mm`. */
export function formatClockTime(clock: string): string {
  const [h, min] = clock.split(":").map(Number) as [number, number];
  return new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit", timeZone: "UTC" }).format(new Date(Date.UTC(2000, 0, 1, h, min)));
}

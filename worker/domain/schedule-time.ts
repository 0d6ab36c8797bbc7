/**
 * Wall-clock times in an IANA zone ⇄ UTC instants, with Intl only (browser and Worker alike).
 * A post is stored as a UTC instant plus the zone the user chose (ARCHITECTURE.md §2 "Scheduling"), so
 * "09:00 in Europe/Paris" stays 09:00 on both sides of a DST change.
 */

export type LocalParts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

export type LocalToInstant =
  | { ok: true; instant: number; /** The local time occurred twice (clocks went back); `instant` is the earlier one. */ ambiguous: boolean }
  | { ok: false; reason: "invalid" | "nonexistent"; message: string };

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const DAY_MS = 24 * 3600 * 1000;
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall-clock reading in `zone` at `instant` (ms since the epoch). */
export function zonedParts(instant: number, zone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(zone).formatToParts(new Date(instant))) if (p.type !== "literal") parts[p.type] = Number(p.value);
  return { year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0, hour: (parts.hour ?? 0) % 24, minute: parts.minute ?? 0, second: parts.second ?? 0 };
}

const asUtc = (p: LocalParts) => Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);

/** The zone's offset from UTC at `instant`, in ms (Paris in summer: +7,200,000). */
export function offsetAt(instant: number, zone: string): number {
  return asUtc(zonedParts(instant - (instant % 1000), zone)) - (instant - (instant % 1000));
}

const pad = (n: number) => String(n).padStart(2, "0");

/** `YYYY-MM-DDTHH:mm` (with `:ss` only when seconds are not zero) in `zone` at `instant`. */
export function instantToLocal(instant: number, zone: string): string {
  const p = zonedParts(instant, zone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}${p.second ? `:${pad(p.second)}` : ""}`;
}

export function parseLocal(local: string): LocalParts | null {
  const m = LOCAL.exec(local);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const check = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return null;
  return { year, month, day, hour, minute, second };
}

const sameWallClock = (a: LocalParts, b: LocalParts) => asUtc(a) === asUtc(b);

/**
 * The UTC instant at which `zone`'s clocks read `local`.
 * - A time skipped when clocks go forward (02:30 on the last Sunday of March in Paris) is refused with a
 *   sentence saying so: guessing a neighbouring time would publish at a time nobody chose.
 * - A time that happens twice when clocks go back (02:30 on the last Sunday of October in Paris) resolves
 *   to the earlier instant (the first 02:30, still on summer time), as `Temporal`'s default
 *   `disambiguation: "compatible"` does; `ambiguous` tells the UI it may want to say so.
 * Offsets are read a day either side, which is sound because no zone changes its offset twice in 48 hours.
 */
export function localToInstant(local: string, zone: string): LocalToInstant {
  const wanted = parseLocal(local);
  if (!wanted) return { ok: false, reason: "invalid", message: `${local} is not a real date and time; use a date and time like 2026-03-29T09:00.` };
  const guess = asUtc(wanted);
  const offsets = [...new Set([offsetAt(guess - DAY_MS, zone), offsetAt(guess + DAY_MS, zone), offsetAt(guess, zone)])];
  const matches = [...new Set(offsets.map((o) => guess - o))].filter((t) => sameWallClock(zonedParts(t, zone), wanted)).sort((a, b) => a - b);
  const first = matches[0];
  if (first !== undefined) return { ok: true, instant: first, ambiguous: matches.length > 1 };
  const before = offsetAt(guess - DAY_MS, zone);
  const after = offsetAt(guess + DAY_MS, zone);
  const direction = after > before ? "forward" : "back";
  const shifted = instantToLocal(guess - before, zone);
  return {
    ok: false,
    reason: "nonexistent",
    message: `${pad(wanted.hour)}:${pad(wanted.minute)} does not exist on ${wanted.day} ${MONTHS[wanted.month - 1]} ${wanted.year} in ${zone} because clocks go ${direction}; choose another time, such as ${shifted.slice(11, 16)}.`,
  };
}

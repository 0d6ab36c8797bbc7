import { describe, expect, it } from "vitest";
import { instantToLocal, localToInstant, offsetAt } from "../../worker/domain/schedule-time";

const utc = (iso: string) => Date.parse(iso);
function resolve(local: string, zone: string): number {
  const r = localToInstant(local, zone);
  if (!r.ok) throw new Error(r.message);
  return r.instant;
}

describe("wall-clock time in a zone → UTC instant", () => {
  it.each([
    // zone, local, expected UTC — either side of each 2026 change
    ["Europe/Paris", "2026-03-28T09:00", "2026-03-28T08:00:00Z"],
    ["Europe/Paris", "2026-03-30T09:00", "2026-03-30T07:00:00Z"],
    ["Europe/Paris", "2026-10-24T09:00", "2026-10-24T07:00:00Z"],
    ["Europe/Paris", "2026-10-26T09:00", "2026-10-26T08:00:00Z"],
    ["America/New_York", "2026-03-07T09:00", "2026-03-07T14:00:00Z"],
    ["America/New_York", "2026-03-09T09:00", "2026-03-09T13:00:00Z"],
    ["America/New_York", "2026-11-02T09:00", "2026-11-02T14:00:00Z"],
    ["Australia/Sydney", "2026-04-04T09:00", "2026-04-03T22:00:00Z"],
    ["Australia/Sydney", "2026-04-06T09:00", "2026-04-05T23:00:00Z"],
    ["Australia/Sydney", "2026-10-05T09:00", "2026-10-04T22:00:00Z"],
    ["UTC", "2026-06-01T09:00", "2026-06-01T09:00:00Z"],
    ["Europe/Paris", "2026-06-01T09:00:30", "2026-06-01T07:00:30Z"],
  ])("%s %s is %s", (zone, local, expected) => {
    expect(new Date(resolve(local, zone)).toISOString()).toBe(new Date(expected).toISOString());
    expect(instantToLocal(resolve(local, zone), zone)).toBe(local);
  });

  it("keeps a weekly 09:00 Paris post at 09:00 across the spring and autumn changes, its UTC hour moving instead", () => {
    for (const [start, weeks] of [["2026-03-15", 4], ["2026-10-11", 4]] as const) {
      const utcHours = new Set<number>();
      for (let w = 0; w < weeks; w++) {
        const day = new Date(Date.parse(`${start}T00:00:00Z`) + w * 7 * 86_400_000).toISOString().slice(0, 10);
        const instant = resolve(`${day}T09:00`, "Europe/Paris");
        expect(instantToLocal(instant, "Europe/Paris")).toBe(`${day}T09:00`);
        utcHours.add(new Date(instant).getUTCHours());
      }
      expect([...utcHours].sort()).toEqual([7, 8]);
    }
  });

  it.each([
    ["Europe/Paris", "2026-03-29T02:30", "02:30 does not exist on 29 March 2026 in Europe/Paris because clocks go forward; choose another time, such as 03:30."],
    ["Europe/Paris", "2026-03-29T02:00", "02:00 does not exist on 29 March 2026 in Europe/Paris because clocks go forward; choose another time, such as 03:00."],
    ["America/New_York", "2026-03-08T02:15", "02:15 does not exist on 8 March 2026 in America/New_York because clocks go forward; choose another time, such as 03:15."],
    ["Australia/Sydney", "2026-10-04T02:45", "02:45 does not exist on 4 October 2026 in Australia/Sydney because clocks go forward; choose another time, such as 03:45."],
  ])("refuses %s %s, which the spring-forward gap skips", (zone, local, message) => {
    expect(localToInstant(local, zone)).toEqual({ ok: false, reason: "nonexistent", message });
  });

  it("accepts the minutes either side of the gap", () => {
    expect(new Date(resolve("2026-03-29T01:59", "Europe/Paris")).toISOString()).toBe("2026-03-29T00:59:00.000Z");
    expect(new Date(resolve("2026-03-29T03:00", "Europe/Paris")).toISOString()).toBe("2026-03-29T01:00:00.000Z");
  });

  it.each([
    // The earlier of the two instants: still on summer (daylight) time.
    ["Europe/Paris", "2026-10-25T02:30", "2026-10-25T00:30:00.000Z", "2026-10-25T01:30:00.000Z"],
    ["America/New_York", "2026-11-01T01:30", "2026-11-01T05:30:00.000Z", "2026-11-01T06:30:00.000Z"],
    ["Australia/Sydney", "2026-04-05T02:30", "2026-04-04T15:30:00.000Z", "2026-04-04T16:30:00.000Z"],
  ])("resolves %s %s, which happens twice, to the earlier instant", (zone, local, earlier, later) => {
    const r = localToInstant(local, zone);
    expect(r).toEqual({ ok: true, instant: Date.parse(earlier), ambiguous: true });
    // Both instants read as the same wall-clock time.
    expect(instantToLocal(Date.parse(earlier), zone)).toBe(local);
    expect(instantToLocal(Date.parse(later), zone)).toBe(local);
  });

  it("marks ordinary times as not ambiguous", () => {
    expect(localToInstant("2026-10-25T09:00", "Europe/Paris")).toEqual({ ok: true, instant: utc("2026-10-25T08:00:00Z"), ambiguous: false });
  });

  it.each(["2026-02-30T09:00", "2026-13-01T09:00", "2026-01-01T24:00", "2026-01-01 09:00", "tomorrow"])("refuses %s as not a date", (local) => {
    const r = localToInstant(local, "Europe/Paris");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe("invalid");
  });

  it.each(["Europe/Paris", "America/New_York", "Australia/Sydney"])("round-trips every 15 minutes for three days around each 2026 change in %s", (zone) => {
    const changes: Record<string, string[]> = {
      "Europe/Paris": ["2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z"],
      "America/New_York": ["2026-03-08T07:00:00Z", "2026-11-01T06:00:00Z"],
      "Australia/Sydney": ["2026-04-04T16:00:00Z", "2026-10-03T16:00:00Z"],
    };
    for (const change of changes[zone] ?? []) {
      const at = utc(change);
      expect(offsetAt(at - 1, zone)).not.toBe(offsetAt(at, zone));
      for (let t = at - 36 * 3_600_000; t <= at + 36 * 3_600_000; t += 15 * 60_000) {
        const local = instantToLocal(t, zone);
        const back = localToInstant(local, zone);
        expect(back.ok, local).toBe(true);
        if (!back.ok) continue;
        // In the repeated hour the later reading maps back to the earlier instant, an hour before.
        if (back.ambiguous && back.instant !== t) expect(t - back.instant).toBe(3_600_000);
        else expect(back.instant, local).toBe(t);
      }
    }
  });
});

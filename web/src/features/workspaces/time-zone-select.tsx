import { useMemo } from "preact/hooks";
import { Select } from "../../ui/field.tsx";
import { viewerTimeZone } from "../../ui/time.tsx";

function offsetLabel(timeZone: string, at: Date): string {
  const part = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "shortOffset" })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName");
  return part?.value ?? "";
}

/** All IANA zones the browser knows, labelled with their current UTC offset. */
export function timeZoneOptions(extra: string[] = []) {
  const zones = new Set<string>(Intl.supportedValuesOf("timeZone"));
  zones.add("UTC");
  for (const z of extra) if (z) zones.add(z);
  const now = new Date();
  return [...zones]
    .sort((a, b) => a.localeCompare(b))
    .map((z) => ({ value: z, label: `${z.replaceAll("_", " ")} (${offsetLabel(z, now)})` }));
}

export function TimeZoneSelect({ value, error, name = "timezone" }: { value?: string; error?: string | undefined; name?: string }) {
  const initial = value ?? viewerTimeZone();
  const options = useMemo(() => timeZoneOptions([initial]), [initial]);
  return (
    <Select
      label="Time zone"
      name={name}
      options={options}
      defaultValue={initial}
      error={error}
      hint="Posts are scheduled and reported in this zone."
    />
  );
}

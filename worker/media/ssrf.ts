/**
 * SSRF guard for URL imports. It judges the URL's host as written (after WHATWG URL parsing, which
 * already turns `0x7f000001`, `2130706433`, `0177.0.0.1` and `127.1` into `127.0.0.1`; the parser here
 * repeats that work so the guard does not depend on it).
 *
 * Limit, by design of the platform: Workers cannot resolve DNS before `fetch`, so a public name that
 * resolves to a private address (or DNS rebinding) cannot be caught here. Cloudflare's edge does not
 * route Worker subrequests into private networks, which is the remaining line of defence in production.
 */

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

const LOCAL_NAMES = ["localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"];
const LOCAL_SUFFIXES = [".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".lan", ".intranet", ".corp"];

/** IPv4 ranges that are not the public internet: [first address, prefix length, label]. */
const BLOCKED_V4: [number, number, string][] = [
  [0x00000000, 8, "this network"],
  [0x0a000000, 8, "private"],
  [0x64400000, 10, "carrier-grade NAT"],
  [0x7f000000, 8, "loopback"],
  [0xa9fe0000, 16, "link-local"],
  [0xac100000, 12, "private"],
  [0xc0000000, 24, "IETF protocol assignments"],
  [0xc0000200, 24, "documentation"],
  [0xc0586300, 24, "6to4 relay"],
  [0xc0a80000, 16, "private"],
  [0xc6120000, 15, "benchmarking"],
  [0xc6336400, 24, "documentation"],
  [0xcb007100, 24, "documentation"],
  [0xe0000000, 4, "multicast"],
  [0xf0000000, 4, "reserved"],
];

/**
 * An IPv4 literal in any spelling `inet_aton` accepts: 1 to 4 parts, each decimal, `0x` hex or
 * leading-zero octal, the last part filling the remaining bytes (`127.1`, `2130706433`). Null if not one.
 */
export function parseIpv4(host: string): number | null {
  const parts = host.split(".");
  if (parts.length > 1 && parts.at(-1) === "") parts.pop();
  if (parts.length < 1 || parts.length > 4) return null;
  const values: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0x[0-9a-f]*$/i.test(part)) value = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
    else if (/^0[0-7]+$/.test(part)) value = parseInt(part, 8);
    else if (/^(0|[1-9][0-9]*)$/.test(part)) value = Number(part);
    else return null;
    if (!Number.isFinite(value)) return null;
    values.push(value);
  }
  const last = values.pop() ?? 0;
  if (values.some((v) => v > 255) || last >= 256 ** (4 - values.length)) return null;
  return values.reduce((acc, v, i) => acc + v * 256 ** (3 - i), 0) + last;
}

/** An IPv6 literal (without brackets) as eight 16-bit groups, embedded dotted IPv4 allowed; null if not one. */
export function parseIpv6(host: string): number[] | null {
  const text = host.toLowerCase().replace(/%.*$/, "");
  if (!/^[0-9a-f:.]+$/.test(text) || !text.includes(":")) return null;
  let tail: number[] = [];
  let body = text;
  const lastColon = text.lastIndexOf(":");
  if (text.slice(lastColon + 1).includes(".")) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === null || !/^\d+\.\d+\.\d+\.\d+$/.test(text.slice(lastColon + 1))) return null;
    tail = [Math.floor(v4 / 65536), v4 % 65536];
    body = text.slice(0, lastColon + 1);
    if (!body.endsWith("::")) body = body.slice(0, -1);
  }
  const halves = body.split("::");
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === "" ? [] : s.split(":").map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN)));
  const head = groups(halves[0] ?? "");
  const rest = halves.length === 2 ? groups(halves[1] ?? "") : [];
  if ([...head, ...rest].some(Number.isNaN)) return null;
  const present = head.length + rest.length + tail.length;
  if (halves.length === 1 && present !== 8) return null;
  if (halves.length === 2 && present > 7) return null;
  return [...head, ...new Array<number>(8 - present).fill(0), ...rest, ...tail];
}

function v4Refusal(address: number): string | null {
  for (const [base, prefix, label] of BLOCKED_V4) {
    const size = 2 ** (32 - prefix);
    if (address >= base && address < base + size) return label;
  }
  return null;
}

function v6Refusal(g: number[]): string | null {
  const [a = 0, b = 0] = g;
  const embeddedV4 = ((g[6] ?? 0) * 65536 + (g[7] ?? 0)) >>> 0;
  const zerosUntil = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zerosUntil(8)) return "unspecified";
  if (zerosUntil(7) && g[7] === 1) return "loopback";
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address.
  if (zerosUntil(5) && g[5] === 0xffff) return v4Refusal(embeddedV4) ?? null;
  if (zerosUntil(6)) return v4Refusal(embeddedV4) ?? "IPv4-compatible";
  if (a === 0x64 && b === 0xff9b) return v4Refusal(embeddedV4) ?? null;
  if (a === 0x2002) return v4Refusal(b * 65536 + (g[2] ?? 0)) ?? null;
  if ((a & 0xffc0) === 0xfe80) return "link-local";
  if ((a & 0xffc0) === 0xfec0) return "site-local";
  if ((a & 0xfe00) === 0xfc00) return "unique-local";
  if ((a & 0xff00) === 0xff00) return "multicast";
  if (a === 0x2001 && b === 0x0db8) return "documentation";
  if (a === 0x2001 && b === 0) return "Teredo";
  if (a === 0x0100 && zerosUntil(4)) return "discard";
  return null;
}

/** Why this host must not be fetched, or null when it looks like a public internet host. */
export function hostRefusal(hostname: string): string | null {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.+$/, "");
  if (host === "") return "The address has no host.";
  const v6 = parseIpv6(host);
  if (v6) {
    const label = v6Refusal(v6);
    return label ? `The address points to a ${label} IPv6 address, which imports may not reach.` : null;
  }
  const v4 = parseIpv4(host);
  if (v4 !== null) {
    const label = v4Refusal(v4);
    return label ? `The address points to a ${label} IPv4 address, which imports may not reach.` : null;
  }
  if (LOCAL_NAMES.includes(host) || LOCAL_SUFFIXES.some((suffix) => host.endsWith(suffix))) return "The address names a local host, which imports may not reach.";
  if (!host.includes(".")) return "The address must use a full public host name, not a single-label local name.";
  return null;
}

/** The URL if an import may fetch it: http or https, no credentials, and a public host. */
export function checkImportUrl(raw: string): UrlVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "This is not a valid URL." };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, reason: "Only http and https addresses can be imported." };
  if (url.username || url.password) return { ok: false, reason: "Addresses with a user name or password cannot be imported." };
  const refusal = hostRefusal(url.hostname);
  return refusal ? { ok: false, reason: refusal } : { ok: true, url };
}

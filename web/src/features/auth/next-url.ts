/** Only same-origin paths are followed after sign-in, so `?next=` cannot send people elsewhere. */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  // Never bounce back to an auth screen (that would loop or nest ?next= inside ?next=).
  if (/^\/(login|signup)(?:[/?#]|$)/.test(next)) return "/";
  return next;
}

export function loginUrl(next: string): string {
  const safe = safeNext(next);
  return safe !== "/" ? `/login?next=${encodeURIComponent(safe)}` : "/login";
}

export function withNext(path: string, next: string | undefined): string {
  const safe = safeNext(next);
  return safe === "/" ? path : `${path}?next=${encodeURIComponent(safe)}`;
}

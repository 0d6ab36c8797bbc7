import type { AspectRange, Ratio } from "./capabilities/types";

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const round2 = (n: number) => String(Math.round(n * 100) / 100);

/** A readable width:height: "1:3", "16:9", or "2.18:1" / "1:2.18" when no small whole ratio fits. */
export function describeRatio(width: number, height: number): string {
  const d = gcd(width, height);
  const w = width / d;
  const h = height / d;
  if (w <= 32 && h <= 32) return `${w}:${h}`;
  return width >= height ? `${round2(width / height)}:1` : `1:${round2(height / width)}`;
}

/** Exact comparison by cross-multiplication, so 4:5 passes "at least 4:5" with no rounding slack. */
const atLeast = (width: number, height: number, r: Ratio) => width * r.h >= height * r.w;
const atMost = (width: number, height: number, r: Ratio) => width * r.h <= height * r.w;

export function inAspectRange(width: number, height: number, range: AspectRange): boolean {
  return atLeast(width, height, range.min) && atMost(width, height, range.max);
}

export function describeRange(range: AspectRange): string {
  return range.min.label === range.max.label ? `an aspect ratio of ${range.min.label}` : `an aspect ratio between ${range.min.label} and ${range.max.label}`;
}

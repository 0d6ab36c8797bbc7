/** Percentiles over a list of millisecond samples, for printing. */
export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  const fmt = (n) => `${n.toFixed(2)} ms`;
  return { n: sorted.length, p50: fmt(at(50)), p90: fmt(at(90)), p99: fmt(at(99)), max: fmt(sorted.at(-1) ?? NaN) };
}

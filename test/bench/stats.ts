// Small measuring helpers for the benchmark: percentiles, a seeded PRNG, formatting.
import { performance } from 'node:perf_hooks';

/** Nearest-rank percentile (p in 0..100) of a sample; NaN for an empty one. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export interface Summary {
  n: number;
  p50: number;
  p95: number;
}

export function summarize(samples: readonly number[]): Summary {
  return { n: samples.length, p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

/** Milliseconds one synchronous call takes. */
export function timeSync(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/**
 * Milliseconds of CPU time (user + system, whole process) one synchronous call takes: unlike wall
 * time it does not grow when the OS preempts the process, so it cross-checks wall time on a busy
 * machine. Microsecond resolution.
 */
export function cpuSync(fn: () => unknown): number {
  const before = process.cpuUsage();
  fn();
  const d = process.cpuUsage(before);
  return (d.user + d.system) / 1000;
}

/** mulberry32: a tiny deterministic PRNG, so every run benchmarks the same data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const fmtMs = (ms: number): string => (Number.isFinite(ms) ? ms.toFixed(ms < 10 ? 3 : 2) : 'n/a');

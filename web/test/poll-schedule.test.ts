// When a payment page reads the record again (web/src/lib/poll-schedule.ts): every 3 s for the
// first 30 s, then each wait twice the one before, never more than 30 s; nothing while the tab is
// hidden, one read at once when it is shown again; the next read only once the one before answered.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextPollDelay, startPolling, type PollPace } from '../src/lib/poll-schedule.ts';
import { WATCH_FOR_MS, WATCH_PACE } from '../src/pages/staff/payment-link-rules.ts';

/** The waits a poll makes until `forMs`, each read taking no time. */
function waits(pace: PollPace, forMs: number): number[] {
  const out: number[] = [];
  let elapsed = 0;
  let delay: number | undefined;
  for (;;) {
    delay = nextPollDelay(delay, elapsed, pace);
    if (elapsed + delay > forMs) return out;
    elapsed += delay;
    out.push(delay);
  }
}

describe('the pace of a payment page’s reads', () => {
  it('every 3 s for the first 30 s, then doubling up to 30 s', () => {
    const all = waits(WATCH_PACE, WATCH_FOR_MS);
    expect(all.slice(0, 10)).toEqual(Array(10).fill(3000));
    expect(all.slice(10, 14)).toEqual([6000, 12_000, 24_000, 30_000]);
    expect(new Set(all.slice(13))).toEqual(new Set([30_000]));
  });

  it('about 20 reads in five minutes, not 100', () => {
    expect(waits(WATCH_PACE, WATCH_FOR_MS).length).toBe(20);
    expect(waits({ everyMs: 3000 }, WATCH_FOR_MS).length).toBe(100);
  });

  it('each wait from the one before: a late first wait still doubles from the pace', () => {
    expect(nextPollDelay(undefined, 31_000, WATCH_PACE)).toBe(6000);
    expect(nextPollDelay(24_000, 60_000, WATCH_PACE)).toBe(30_000);
    expect(nextPollDelay(30_000, 200_000, WATCH_PACE)).toBe(30_000);
  });

  it('a steady pace without a slow-down (the client’s return pages)', () => {
    expect(new Set(waits({ everyMs: 1500 }, 120_000))).toEqual(new Set([1500]));
  });
});

describe('reading while a payment may land', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A poll at the payment pages' pace whose reads answer at once; the tab's visibility set by the test. */
  function poll() {
    const state = { hidden: false, reads: 0, timedOut: false };
    const polling = startPolling({
      read: async () => {
        state.reads++;
      },
      pace: WATCH_PACE,
      forMs: WATCH_FOR_MS,
      hidden: () => state.hidden,
      onTimedOut: () => {
        state.timedOut = true;
      },
      now: () => Date.now(),
    });
    return { state, polling };
  }

  it('reads at the pace, then stops and says so after five minutes', async () => {
    const { state } = poll();
    await vi.advanceTimersByTimeAsync(2999);
    expect(state.reads).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(state.reads).toBe(1);
    await vi.advanceTimersByTimeAsync(27_000);
    expect(state.reads).toBe(10);
    await vi.advanceTimersByTimeAsync(WATCH_FOR_MS);
    expect(state.reads).toBe(20);
    expect(state.timedOut).toBe(true);
  });

  it('reads nothing while the tab is hidden, and once at once when it is shown again', async () => {
    const { state, polling } = poll();
    await vi.advanceTimersByTimeAsync(6000);
    expect(state.reads).toBe(2);
    state.hidden = true;
    polling.visibilityChanged();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(state.reads).toBe(2);
    state.hidden = false;
    polling.visibilityChanged();
    await vi.advanceTimersByTimeAsync(0);
    expect(state.reads).toBe(3);
    // then the pace goes on (past the first 30 s: the waits grow)
    await vi.advanceTimersByTimeAsync(6000);
    expect(state.reads).toBe(4);
  });

  it('shown again after the five minutes: one read, then it stops', async () => {
    const { state, polling } = poll();
    state.hidden = true;
    polling.visibilityChanged();
    await vi.advanceTimersByTimeAsync(WATCH_FOR_MS + 60_000);
    expect([state.reads, state.timedOut]).toEqual([0, false]);
    state.hidden = false;
    polling.visibilityChanged();
    await vi.advanceTimersByTimeAsync(0);
    expect([state.reads, state.timedOut]).toEqual([1, true]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(state.reads).toBe(1);
  });

  it('never asks twice at once: the next read waits for the one before', async () => {
    let answer: () => void = () => undefined;
    let reads = 0;
    const polling = startPolling({
      read: () => {
        reads++;
        return new Promise<void>((resolve) => (answer = resolve));
      },
      pace: WATCH_PACE,
      forMs: WATCH_FOR_MS,
      hidden: () => false,
      onTimedOut: () => undefined,
    });
    await vi.advanceTimersByTimeAsync(3000);
    expect(reads).toBe(1);
    // shown again while the read is under way: no second read beside it
    polling.visibilityChanged();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(reads).toBe(1);
    answer();
    await vi.advanceTimersByTimeAsync(3000);
    expect(reads).toBe(2);
    polling.stop();
    answer();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(reads).toBe(2);
  });
});

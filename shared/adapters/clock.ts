// Time comes from here so that rules and tests can fix "now".
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export function fixedClock(at: number): Clock & { set(ms: number): void; advance(ms: number): void } {
  let t = at;
  return {
    now: () => t,
    set: (ms) => {
      t = ms;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/**
 * A clock that can be moved to another instant and runs on from there, like Stripe's test clocks:
 * the local server's `POST /v1/dev/clock`. `shift(null)` returns to real time.
 */
export function shiftableClock(base: Clock = systemClock): Clock & { shift(to: number | null): void; shifted(): boolean } {
  let offset = 0;
  return {
    now: () => base.now() + offset,
    shift: (to) => {
      offset = to === null ? 0 : to - base.now();
    },
    shifted: () => offset !== 0,
  };
}

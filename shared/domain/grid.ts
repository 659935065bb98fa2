// The booking grid: appointments start on quarter hours. Storage locks time in whole blocks of the
// same size (shared/db/keys.ts takes it from here), so a start off the grid would make two
// back-to-back sessions share a block and refuse each other.

/**
 * Bookable starts lie on a grid of this many minutes, counted from the epoch: every zone in use is
 * offset from UTC by whole quarter hours, so these are the local quarter hours too.
 */
export const GRID_MINUTES = 15;
export const GRID_MS = GRID_MINUTES * 60_000;

/** Whether the instant `ms` (epoch ms) is on the booking grid. */
export function isOnGrid(ms: number): boolean {
  return ms % GRID_MS === 0;
}

/** Why `ms` (epoch ms) cannot start an appointment, or undefined: it is off the grid. */
export function gridProblem(ms: number): string | undefined {
  return isOnGrid(ms) ? undefined : `Must be on a ${GRID_MINUTES}-minute boundary`;
}

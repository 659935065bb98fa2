// A client's medical clearance history: every clearance a clinician recorded, kept as entries of
// their own beside the profile's current one (shared/db/client-repo.ts recordClearance).
import type { Clearance } from './types.ts';

/** The same recorded clearance: by its id where both have one, else by when and by whom it was recorded. */
const sameEntry = (a: Clearance, b: Clearance): boolean =>
  a.id !== undefined && b.id !== undefined ? a.id === b.id : a.recordedAt === b.recordedAt && a.recordedBy === b.recordedBy;

/**
 * The history as shown, newest first: the recorded entries, and the profile's current clearance
 * when no entry holds it (one recorded before entries were kept is never lost from view;
 * docs/decisions.md, "Clearance history"). Entries recorded in the same millisecond keep the
 * table's order (by id, descending).
 */
export function clearanceHistory(entries: readonly Clearance[], current: Clearance | undefined): Clearance[] {
  const all = current && !entries.some((e) => sameEntry(e, current)) ? [...entries, current] : [...entries];
  const byIdDescending = (a: Clearance, b: Clearance) => ((a.id ?? '') < (b.id ?? '') ? 1 : (a.id ?? '') > (b.id ?? '') ? -1 : 0);
  return all.sort((a, b) => b.recordedAt - a.recordedAt || byIdDescending(a, b));
}

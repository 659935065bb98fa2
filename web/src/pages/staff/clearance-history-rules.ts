// The clearance history on the client chart (GET /v1/clients/{id}/clearances) in words: who
// recorded each clearance and how long it held. Pure (no React): web/test/clearance-history-rules.test.ts.

/** An entry as the API answers it (the fields said in words here). */
export interface ClearanceEntryLike {
  status: 'cleared' | 'not_cleared';
  validUntil: string | null;
  recordedBy: { id: string; name?: string };
}

/**
 * Who recorded it: the name when the API gives one; "You" for the reader's own; else the user's
 * id, its first 8 characters when longer than 12, as the access log says it (staff have no names
 * in the API; the id tells two people apart).
 */
export function recorderWords(recordedBy: ClearanceEntryLike['recordedBy'], readerSub: string): string {
  if (recordedBy.name) return recordedBy.name;
  if (recordedBy.id === readerSub) return 'You';
  return `User ${recordedBy.id.length > 12 ? recordedBy.id.slice(0, 8) : recordedBy.id}`;
}

/** Until when it cleared the client: a date, no end, or nothing at all for one that did not clear. */
export function validUntilWords(entry: Pick<ClearanceEntryLike, 'status' | 'validUntil'>, formatDate: (date: string) => string): string {
  if (entry.status !== 'cleared') return '—';
  return entry.validUntil ? formatDate(entry.validUntil) : 'No end date';
}

// Where a client stands in their course of care, derived from their record and appointments
// (docs/domain.md, "Course of care": the derived client `status`).

import { ACTIVE_STATUSES, type Appointment, type Client } from '#domain/types.ts';

export interface ClientStatus {
  intakeCompleted: boolean;
  clearance: { status: 'cleared' | 'not_cleared' | 'expired' | 'none'; validUntil: string | null };
  preparationCount: number;
  explorationCount: number;
  preparationCompleted: number;
  explorationCompleted: number;
}

/** `today` is the clinic-local date against which clearance expiry (inclusive validUntil) is judged. */
export function deriveClientStatus(client: Client, appointments: Appointment[], today: string): ClientStatus {
  let preparationCount = 0;
  let explorationCount = 0;
  let preparationCompleted = 0;
  let explorationCompleted = 0;
  let intakeDone = false;
  for (const a of appointments) {
    const active = ACTIVE_STATUSES.includes(a.status);
    const completed = a.status === 'completed';
    if (a.service === 'intake' && completed) intakeDone = true;
    if (a.service === 'preparation') {
      if (active) preparationCount++;
      if (completed) preparationCompleted++;
    } else if (a.service === 'exploration') {
      if (active) explorationCount++;
      if (completed) explorationCompleted++;
    }
  }

  const c = client.clearance;
  const validUntil = c?.validUntil ?? null;
  const clearanceStatus = !c
    ? 'none'
    : c.status !== 'cleared'
      ? 'not_cleared'
      : validUntil !== null && validUntil < today
        ? 'expired'
        : 'cleared';

  return {
    intakeCompleted: client.intakeCompleted || intakeDone,
    clearance: { status: clearanceStatus, validUntil },
    preparationCount,
    explorationCount,
    preparationCompleted,
    explorationCompleted,
  };
}

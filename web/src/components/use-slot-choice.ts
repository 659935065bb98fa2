// The open time chosen in the week view (./slot-picker.tsx) and sending it, the same for booking
// and for moving a session, for a client and for the front desk: a new choice clears the last
// refusal and is a new request (its own idempotency key); a time taken meanwhile is dropped and the
// week loaded again, with the refusal kept on screen for the page to say in its words.
import { useState } from 'react';
import { ApiError, idempotencyKey, ok, type Api } from '../api/client.ts';
import type { Slot } from '../lib/clinic-data.ts';
import { useRevealOnChange } from './ui.tsx';

/** Moves a booked session to the chosen time (POST /v1/appointments/{id}/reschedule). */
export const moveToSlot = (api: Api, appointmentId: string, slot: Slot) =>
  ok(
    api.POST('/v1/appointments/{appointmentId}/reschedule', {
      params: { path: { appointmentId } },
      body: { startsAt: slot.startsAt, providerId: slot.providerId },
    }),
  );

export function useSlotChoice() {
  const [slot, setSlot] = useState<Slot>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [refreshKey, setRefreshKey] = useState(0);
  const [key, setKey] = useState(idempotencyKey);
  /** The confirmation box: scrolled into view when a time is chosen. */
  const confirmRef = useRevealOnChange<HTMLDivElement>(slot?.startsAt);

  return {
    slot,
    busy,
    error,
    refreshKey,
    confirmRef,
    /** A time chosen: a new request, with a key of its own. */
    pick: (s: Slot) => {
      setSlot(s);
      setError(undefined);
      setKey(idempotencyKey());
    },
    /** The question changed (session, place, practitioner): no time is chosen any more. */
    clear: () => {
      setSlot(undefined);
      setError(undefined);
    },
    /** After a success, to choose again: the week is loaded afresh. */
    again: () => {
      setSlot(undefined);
      setRefreshKey((k) => k + 1);
    },
    /**
     * Sends the chosen time with `send` (given the idempotency key of this choice) and hands its
     * answer to `done`. A refusal is kept in `error`; a time taken meanwhile is dropped and the
     * week loaded again.
     */
    submit: async <T>(send: (slot: Slot, idempotencyKey: string) => Promise<T>, done: (result: T) => void) => {
      if (!slot) return;
      setBusy(true);
      setError(undefined);
      try {
        done(await send(slot, key));
      } catch (err) {
        setError(err);
        if (err instanceof ApiError && err.code === 'slot_unavailable') {
          setSlot(undefined);
          setRefreshKey((k) => k + 1);
        }
      } finally {
        setBusy(false);
      }
    },
  };
}

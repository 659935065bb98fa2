// The week-by-week view of open times, in the CLINIC's time zone and labelled with it. Times come
// from GET /v1/clinics/{id}/availability four weeks at a time (one request answers a month of
// weeks; the API allows 31 days), and the view opens on the first week that has an open time —
// or, given the days an integration session should fall on (`suggested`), on the week that holds
// the first of them, with those days marked; times outside them stay offered (a "should"). A
// waitlist entry's "Book" asks for the week of its open time (`startWeek`), shown while it can be,
// and the page is told the times each read offers (`onTimes`: the desk's open time is chosen from them).
// Every time is a button: Tab to it, Enter or Space to choose it. When a session is being moved,
// its own time does not count as taken (availability's `excluding`): the times that overlap it
// are offered, and only the very time and practitioner it already has is not. When a client books
// (for themselves, or staff for them), the times that overlap the client's own sessions (`busy`)
// are not offered either: availability knows no client.
import { useEffect, useMemo, useState } from 'react';
import { useApp } from '../app-context.tsx';
import { ok } from '../api/client.ts';
import type { Appointment, ClinicSetup, ServiceCode, Slot } from '../lib/clinic-data.ts';
import {
  addDays,
  formatDate,
  formatDayParts,
  formatLongDate,
  timeLabels,
  localDateOf,
  mondayOf,
  todayIn,
  zoneLabel,
} from '../lib/format.ts';
import { windowWeek, type IntegrationWindow } from '../lib/integration-rules.ts';
import { timesAnswerAsked, timesQuestion } from '../lib/open-times-rules.ts';
import { weekToOpen } from '../lib/waitlist-rules.ts';
import { useLoad } from '../lib/use-load.ts';
import { Button, ErrorAlert, Loading } from './ui.tsx';

const CHUNK_DAYS = 28;

export interface SlotPickerProps {
  setup: ClinicSetup;
  service: ServiceCode;
  mode: 'in_person' | 'telehealth';
  /** '' for any practitioner who offers the service. */
  providerId: string;
  selected: Slot | undefined;
  onPick: (slot: Slot) => void;
  /** Bumped by the parent to load again (after a time was taken). */
  refreshKey?: number;
  /** The session being moved, by someone who may move it: its own time is free for the move. */
  moving?: Pick<Appointment, 'id' | 'startsAt' | 'providerId'> | undefined;
  /** Times the client is already booked (booking, by the client or staff): a time that overlaps one is not offered. */
  busy?: readonly Pick<Appointment, 'startsAt' | 'endsAt'>[] | undefined;
  /** The days an integration session should fall on: the view opens on their week and marks them. */
  suggested?: IntegrationWindow | undefined;
  /** The week to open on (a waitlist entry's open time), when no suggested days say otherwise. */
  startWeek?: string | undefined;
  /** Told the Monday of the week on screen whenever it changes (the waitlist form's first dates). */
  onWeek?: ((monday: string) => void) | undefined;
  /** Told the times offered (the client's own sessions left out) on the dates read, whenever a read answers the question on screen. */
  onTimes?: ((read: { from: string; to: string; slots: readonly Slot[] }) => void) | undefined;
}

export function SlotPicker({
  setup,
  service,
  mode,
  providerId,
  selected,
  onPick,
  refreshKey = 0,
  moving,
  busy,
  suggested,
  startWeek,
  onWeek,
  onTimes,
}: SlotPickerProps) {
  const { api } = useApp();
  const { clinic } = setup;
  const zone = clinic.timezone;
  const today = todayIn(zone);
  const thisWeek = mondayOf(today);
  const lastDay = addDays(today, clinic.policy.bookingWindowDays);
  // the suggested days' week, when one of them can still be booked; else the first week with a time
  const opening = (suggested && windowWeek(suggested, today, lastDay)) ?? weekToOpen(startWeek, thisWeek, lastDay);
  const [chunkStart, setChunkStart] = useState(opening ?? thisWeek);
  const [week, setWeek] = useState<string | null>(opening ?? null);
  const movingId = moving?.id;

  // a new question starts from this week (or the suggested days' week) again
  useEffect(() => {
    setChunkStart(opening ?? thisWeek);
    setWeek(opening ?? null);
  }, [service, mode, providerId, thisWeek, opening]);

  const question = timesQuestion({ clinicId: clinic.id, service, mode, providerId, from: chunkStart, movingId, round: refreshKey });
  const slots = useLoad(
    () =>
      ok(
        api.GET('/v1/clinics/{clinicId}/availability', {
          params: {
            path: { clinicId: clinic.id },
            query: {
              service,
              mode,
              from: chunkStart,
              to: addDays(chunkStart, CHUNK_DAYS - 1),
              ...(providerId ? { providerId } : {}),
              ...(movingId ? { excluding: movingId } : {}),
            },
          },
        }),
      ).then((r) => ({ question, slots: r.slots.filter((slot) => !isWhereItIs(slot, moving)) })),
    [api, clinic.id, service, mode, providerId, chunkStart, refreshKey, movingId],
  );
  // the times on screen may be another question's (lib/open-times-rules.ts): shown, not picked
  const answered = timesAnswerAsked(slots, question);
  const reading = !answered && !slots.error;

  // the client's own sessions take their times, as availability's `excluding` does for a move
  const open = useMemo(() => {
    const read = slots.data?.slots;
    return busy && read ? read.filter((slot) => !overlapsAny(slot, busy)) : read;
  }, [slots.data, busy]);

  useEffect(() => {
    if (answered && open) onTimes?.({ from: chunkStart, to: addDays(chunkStart, CHUNK_DAYS - 1), slots: open });
  }, [answered, open]);

  // open on the first week of the chunk with an open time (shown at once, kept by the effect: never
  // a flash of "No open times this week" for the chunk's first week before it)
  const firstWeek = answered && open?.[0] ? mondayOf(localDateOf(open[0].startsAt)) : chunkStart;
  useEffect(() => {
    if (week === null && answered) setWeek(firstWeek);
  }, [answered, week, firstWeek]);

  const shownWeek = week ?? firstWeek;
  useEffect(() => onWeek?.(shownWeek), [shownWeek]);
  const days = useMemo(() => Array.from({ length: 7 }, (_, i) => addDays(shownWeek, i)), [shownWeek]);

  /** One button per start time: with "any practitioner", the first one free takes it. */
  const byDay = useMemo(() => {
    const map = new Map<string, Slot[]>();
    for (const slot of open ?? []) {
      const day = localDateOf(slot.startsAt);
      const list = map.get(day) ?? [];
      if (!list.some((s) => s.startsAt === slot.startsAt)) list.push(slot);
      map.set(day, list);
    }
    return map;
  }, [open]);

  const goToWeek = (monday: string) => {
    // inside the loaded four weeks: just show it; outside: load the four weeks that start there
    if (monday >= chunkStart && monday < addDays(chunkStart, CHUNK_DAYS)) setWeek(monday);
    else {
      setChunkStart(monday);
      setWeek(monday);
    }
  };

  const canGoBack = shownWeek > thisWeek;
  const canGoOn = addDays(shownWeek, 7) <= lastDay;
  const weekHasTimes = days.some((d) => (byDay.get(d)?.length ?? 0) > 0);
  const providerName = (id: string) => setup.providers.find((p) => p.id === id)?.name ?? '';

  return (
    <section className="slot-picker" aria-labelledby="week-heading">
      <div className="week-bar">
        <Button kind="secondary" onClick={() => goToWeek(addDays(shownWeek, -7))} disabled={!canGoBack}>
          <span aria-hidden="true">←</span> Previous week
        </Button>
        <h2 id="week-heading" aria-live="polite">
          {formatDate(shownWeek)} – {formatDate(addDays(shownWeek, 6))}
        </h2>
        <Button kind="secondary" onClick={() => goToWeek(addDays(shownWeek, 7))} disabled={!canGoOn}>
          Next week <span aria-hidden="true">→</span>
        </Button>
      </div>
      <p className="zone-note">Times are in {zoneLabel(zone, new Date(`${shownWeek}T12:00:00Z`))}, the clinic’s time zone.</p>
      <ErrorAlert error={slots.error} title="Open times could not load" />
      {reading && <Loading label="Finding open times…" />}
      {answered && !weekHasTimes && <p className="empty">No open times this week{canGoOn ? ' — try the next week.' : '.'}</p>}
      <div className="week" aria-busy={reading || undefined}>
        {days.map((day) => {
          const times = byDay.get(day) ?? [];
          const labels = timeLabels(
            times.map((t) => t.startsAt),
            zone,
          );
          const { weekday, day: date } = formatDayParts(day);
          const headingId = `day-${day}`;
          const inWindow = suggested !== undefined && day >= suggested.first && day <= suggested.last;
          return (
            <div key={day} className={inWindow ? 'day in-window' : 'day'} role="group" aria-labelledby={headingId}>
              <h3 id={headingId}>
                <span className="weekday">{weekday}</span> <span className="date">{date}</span>
                {inWindow && (
                  <>
                    <span className="window-mark" aria-hidden="true">
                      In window
                    </span>
                    <span className="visually-hidden">, in the window</span>
                  </>
                )}
                <span className="visually-hidden">, {times.length} open</span>
              </h3>
              {times.length === 0 ? (
                <p className="none">—</p>
              ) : (
                <ul className="times">
                  {times.map((slot) => {
                    const isSelected = selected?.startsAt === slot.startsAt;
                    return (
                      <li key={slot.startsAt}>
                        <button
                          type="button"
                          className="time"
                          aria-pressed={isSelected}
                          // until the question asked is answered, these are the last question's
                          // (another mode, practitioner or week, or a time just taken): not to be picked
                          disabled={!answered}
                          aria-label={`${formatLongDate(day)}, ${labels.get(slot.startsAt)}${providerId ? '' : ` with ${providerName(slot.providerId)}`}`}
                          onClick={() => onPick(slot)}
                        >
                          {labels.get(slot.startsAt)}
                        </button>
                      </li>
                    );
                  })}
                </ul>
              )}
            </div>
          );
        })}
      </div>
    </section>
  );
}

/** A session at `slot` overlaps one of `busy`: [s, e) and [b, f) overlap when b < e and s < f. */
function overlapsAny(slot: Slot, busy: readonly Pick<Appointment, 'startsAt' | 'endsAt'>[]): boolean {
  const s = Date.parse(slot.startsAt);
  const e = Date.parse(slot.endsAt);
  return busy.some((b) => Date.parse(b.startsAt) < e && s < Date.parse(b.endsAt));
}

/** The time and practitioner the session being moved already has: not a move. */
function isWhereItIs(slot: Slot, moving: SlotPickerProps['moving']): boolean {
  return !!moving && slot.providerId === moving.providerId && Date.parse(slot.startsAt) === Date.parse(moving.startsAt);
}

// "Add to calendar" on My care: the session's .ics file, made in the browser and saved through an
// object URL (lib/save-blob.ts), so nothing about it is in a URL or a request. The module that
// writes it (lib/calendar-file.ts, with the denylist it reads) is loaded on the first click, not
// with the page.
import { useState } from 'react';
import { Button } from '../components/ui.tsx';
import { calendarButtonLabel } from '../lib/calendar-rules.ts';
import type { Appointment, ClinicSetup } from '../lib/clinic-data.ts';
import { saveBlob } from '../lib/save-blob.ts';
import { JOIN_LEAD_MINUTES } from '../lib/video-room-rules.ts';

export function AddToCalendar({
  setup,
  appointment: a,
  onError,
}: {
  setup: ClinicSetup;
  appointment: Appointment;
  /** The file could not be made (its module did not load): shown by the item, below its buttons. */
  onError: (error: unknown) => void;
}) {
  const [busy, setBusy] = useState(false);
  const add = async () => {
    setBusy(true);
    onError(undefined);
    try {
      const { calendarFile } = await import('../lib/calendar-file.ts');
      const { clinic } = setup;
      const file = calendarFile({
        appointment: a,
        clinic: { name: clinic.name, smsName: clinic.smsName, address: clinic.contact?.address },
        origin: window.location.origin,
        now: Date.now(),
        joinLeadMinutes: JOIN_LEAD_MINUTES,
      });
      saveBlob(new Blob([file.text], { type: 'text/calendar;charset=utf-8' }), file.filename);
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button kind="secondary" busy={busy} aria-label={calendarButtonLabel(a, setup.clinic.timezone)} onClick={() => void add()}>
      Add to calendar
    </Button>
  );
}

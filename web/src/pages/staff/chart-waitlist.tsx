// The chart's "Waitlist" (front desk and admin): what the client waits for, with what became of
// each and "Book" for one with open times (the staff booking page on its kind, place, practitioner
// and the week of its first open time), "Remove" asked first, and "Add to waitlist" for a client on
// the phone: the client's own form, with the kind chosen here (components/waitlist.tsx).
import { useRef, useState } from 'react';
import { ok } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { Alert, Button, Loading } from '../../components/ui.tsx';
import { entryWords, WaitlistEntries, WaitlistForm } from '../../components/waitlist.tsx';
import type { ClinicSetup } from '../../lib/clinic-data.ts';
import { mondayOf, todayIn } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { defaultWaitlistDates, waitlistBetween } from '../../lib/waitlist-rules.ts';
import { PartError } from './chart-common.tsx';
import { staffLinks } from './clients-data.ts';
import type { StaffSession } from './common.tsx';

export function WaitlistPart({
  session,
  setup,
  clientId,
  changes,
}: {
  session: StaffSession;
  setup: ClinicSetup;
  clientId: string;
  /** Counts the chart's changes to the client's appointments: a session cancelled or moved may put an entry back to waiting, or meet one. */
  changes: number;
}) {
  const { api } = useApp();
  const list = useLoad(
    () => ok(api.GET('/v1/clients/{clientId}/waitlist', { params: { path: { clientId } } })).then((r) => r.entries),
    // `changes` is not read: a change means what became of each entry may have changed
    [api, clientId, changes],
  );
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<string>();
  const opener = useRef<HTMLButtonElement>(null);
  const today = todayIn(setup.clinic.timezone);
  const first = setup.services.find((s) => s.code === 'intake') ?? setup.services[0];

  return (
    <section className="card" aria-labelledby="chart-waitlist">
      <h2 id="chart-waitlist">Waitlist</h2>
      {list.error !== undefined && !list.data ? (
        <PartError error={list.error} title="The waitlist could not load" />
      ) : !list.data ? (
        <Loading />
      ) : list.data.length === 0 ? (
        <p>Not waiting for any session.</p>
      ) : (
        <WaitlistEntries
          setup={setup}
          clientId={clientId}
          entries={list.data}
          bookHref={staffLinks(session, setup.clinic.id).book(clientId)}
          canRemove
          onRemoved={() => void list.reload()}
          who="desk"
        />
      )}
      {added && (
        <Alert kind="success" focusKey={added}>
          {added}
        </Alert>
      )}
      {adding && first ? (
        <WaitlistForm
          setup={setup}
          clientId={clientId}
          who="desk"
          start={{ service: first.code, mode: 'in_person', providerId: '', ...defaultWaitlistDates(mondayOf(today), today) }}
          onAdded={(entry) => {
            setAdding(false);
            setAdded(`Added: ${entryWords(setup, entry)}, ${waitlistBetween(entry.from, entry.to)}. Call the client if a time opens.`);
            void list.reload();
          }}
          onCancel={() => {
            setAdding(false);
            setTimeout(() => opener.current?.focus());
          }}
        />
      ) : (
        first && (
          <div className="actions">
            <Button kind="secondary" ref={opener} onClick={() => (setAdded(undefined), setAdding(true))}>
              Add to waitlist
            </Button>
          </div>
        )
      )}
    </section>
  );
}

// Settings (admin): the clinic's name and policy, its billing profile, practitioners, rooms and
// programs, each a sub-page (/staff/settings/<section>; /staff/settings is the first) with the
// admin's clinic picker above. Every change is admin's alone (PATCH /v1/clinics/{id}, the creates
// and the retire), while the settings READ here are not: the clinic, its practitioners and programs
// are public and its rooms are every staff member's. So the page does not wait for a refused
// change: another role reaching it by URL is told what the API answers them (403 → "You do not
// have access to this."), and the header and navigation stay as they are. Switching clinic (the
// admin's picker) or section while a form holds changes not saved yet asks before discarding them.
import { ok } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Button, ErrorAlert, Loading, PageTitle } from '../../components/ui.tsx';
import { useLoad } from '../../lib/use-load.ts';
import { Link, navigate } from '../../router.tsx';
import { FORBIDDEN, useStaffClinic, withClinic, type StaffSession } from './common.tsx';
import { PolicySection } from './settings-policy.tsx';
import { BillingSection } from './settings-billing.tsx';
import { ProvidersSection } from './settings-providers.tsx';
import { RoomsSection } from './settings-rooms.tsx';
import { ProgramsSection } from './settings-programs.tsx';
import { UnsavedChanges } from './settings-common.tsx';
import './settings.css';

const SECTIONS = [
  { id: 'policy', label: 'Policy' },
  { id: 'billing', label: 'Billing profile' },
  { id: 'providers', label: 'Practitioners' },
  { id: 'rooms', label: 'Rooms' },
  { id: 'programs', label: 'Programs' },
] as const;
type SectionId = (typeof SECTIONS)[number]['id'];

export function SettingsPage({ session, section }: { session: StaffSession; section: string | undefined }) {
  const current = SECTIONS.find((s) => s.id === (section ?? SECTIONS[0].id));
  const title = current ? `${current.label} · Settings` : 'Settings';
  if (session.role !== 'admin')
    return (
      <>
        <PageTitle title={title}>Settings</PageTitle>
        <ErrorAlert error={FORBIDDEN} title="Settings are for administrators" />
      </>
    );
  return <AdminSettings session={session} current={current?.id} title={title} />;
}

function AdminSettings({ session, current, title }: { session: StaffSession; current: SectionId | undefined; title: string }) {
  const { api } = useApp();
  // the forms holding changes not saved yet (useUnsaved): switching clinic or section asks first
  const unsaved = useRef(new Set<string>());
  const report = useCallback((form: string, dirty: boolean) => void (dirty ? unsaved.current.add(form) : unsaved.current.delete(form)), []);
  const [leaving, setLeaving] = useState<{ to: string; go: () => void; from: HTMLElement | null }>();
  const ask = (to: string, go: () => void) => {
    if (unsaved.current.size === 0) return go();
    // "Keep editing" gives focus back to what asked (the clinic picker, a section's link)
    setLeaving({ to, go, from: document.activeElement instanceof HTMLElement ? document.activeElement : null });
  };
  const { clinicId, picker } = useStaffClinic(session, (to, go) => ask(to.name, go));
  // read fresh (not the page-load cache): staff see the billing profile, and it changes here
  const clinic = useLoad(
    () => (clinicId ? ok(api.GET('/v1/clinics/{clinicId}', { params: { path: { clinicId } } })) : Promise.resolve(undefined)),
    [api, clinicId],
  );
  const data = clinic.data?.id === clinicId ? clinic.data : undefined;

  return (
    <>
      <div className="settings-head">
        <PageTitle title={title}>Settings{data && <span className="settings-clinic"> · {data.name}</span>}</PageTitle>
        {picker}
      </div>
      <nav aria-label="Settings sections" className="settings-tabs">
        <ul>
          {SECTIONS.map((s) => (
            <li key={s.id}>
              <Link
                href={withClinic(`/staff/settings/${s.id}`, session, clinicId)}
                aria-current={s.id === current ? 'page' : undefined}
                onClick={(e) => {
                  if (s.id === current || unsaved.current.size === 0) return;
                  e.preventDefault();
                  const href = e.currentTarget.getAttribute('href') ?? '';
                  ask(s.label, () => navigate(href));
                }}
              >
                {s.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {leaving && (
        <DiscardChanges
          to={leaving.to}
          onDiscard={() => {
            unsaved.current.clear();
            setLeaving(undefined);
            leaving.go();
          }}
          onKeep={() => {
            setLeaving(undefined);
            setTimeout(() => leaving.from?.focus()); // after the re-render
          }}
        />
      )}
      <UnsavedChanges.Provider value={report}>
        {!current ? (
          <p>
            There is no such part of the settings. Choose one above, or{' '}
            <Link href={withClinic('/staff/settings', session, clinicId)}>start with the policy</Link>.
          </p>
        ) : clinic.error && !data ? (
          <ErrorAlert error={clinic.error} title="The clinic’s settings could not load" />
        ) : !data ? (
          <Loading />
        ) : (
          <div key={data.id}>
            {current === 'policy' && <PolicySection clinic={data} onSaved={() => void clinic.reload()} />}
            {current === 'billing' && <BillingSection clinic={data} onSaved={() => void clinic.reload()} />}
            {current === 'providers' && <ProvidersSection clinic={data} />}
            {current === 'rooms' && <RoomsSection clinic={data} />}
            {current === 'programs' && <ProgramsSection clinic={data} />}
          </div>
        )}
      </UnsavedChanges.Provider>
    </>
  );
}

/** "Discard your changes?" before another clinic or section replaces the form: its heading takes focus. */
function DiscardChanges({ to, onDiscard, onKeep }: { to: string; onDiscard: () => void; onKeep: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [to]);
  return (
    <div className="card confirm-discard" role="group" aria-labelledby="discard-changes">
      <h2 id="discard-changes" ref={heading} tabIndex={-1}>
        Discard your changes?
      </h2>
      <p>This section has changes that are not saved. Going to {to} now throws them away; keep editing to save them first.</p>
      <div className="actions">
        <Button kind="danger" onClick={onDiscard}>
          Discard changes and go to {to}
        </Button>
        <Button kind="secondary" onClick={onKeep}>
          Keep editing
        </Button>
      </div>
    </div>
  );
}

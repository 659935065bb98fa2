// What every staff page shares: which role sees which part of the staff side (the navigation;
// the API's policy still decides every call), how a page a role may not use says so when reached
// by URL (NoAccess: before anything can be filled in), and which clinic a page is about — a staff
// member's own (the token's custom:clinicId), or for an admin (every clinic) the one chosen, kept
// in the page's `?clinic=` so a link can name it.
import type { ReactNode } from 'react';
import { ApiError, ok } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { staffHome, type StaffSession } from './nav.ts';
import { ErrorAlert, PageTitle, Select } from '../../components/ui.tsx';
import { useLoad } from '../../lib/use-load.ts';
import { Link, navigate, useLocation } from '../../router.tsx';

export type { StaffRole, StaffSession } from './nav.ts';

/**
 * The clinic a staff page is about. Staff of one clinic: theirs. Admin: `?clinic=` when given,
 * else the first clinic; `picker` is a select to switch (null for staff of one clinic). A page with
 * work to lose passes `beforeSwitch`: it switches (`go`) or asks first; the select shows the clinic
 * as it is until it has.
 */
export function useStaffClinic(
  session: StaffSession,
  beforeSwitch?: (to: { id: string; name: string }, go: () => void) => void,
): { clinicId: string | undefined; picker: ReactNode } {
  const { api } = useApp();
  const { path, query } = useLocation();
  const own = session.clinicId;
  const clinics = useLoad(() => (own ? Promise.resolve([]) : ok(api.GET('/v1/clinics'))), [api, own]);
  if (own) return { clinicId: own, picker: null };
  const list = clinics.data ?? [];
  const chosen = query.get('clinic') ?? list[0]?.id;
  const picker =
    list.length > 0 ? (
      <div className="clinic-switch">
        <Select
          label="Clinic"
          value={chosen ?? ''}
          onChange={(id) => {
            const next = new URLSearchParams(query);
            next.set('clinic', id);
            const go = () => navigate(`${path}?${next.toString()}`);
            if (beforeSwitch) beforeSwitch({ id, name: list.find((c) => c.id === id)?.name ?? id }, go);
            else go();
          }}
          options={list.map((c) => ({ value: c.id, label: c.name }))}
        />
      </div>
    ) : null;
  return { clinicId: chosen, picker };
}

/** `href` with the admin's chosen clinic carried along (a staff member's own clinic needs none). */
export function withClinic(href: string, session: StaffSession, clinicId: string | undefined): string {
  if (session.clinicId || !clinicId) return href;
  return `${href}${href.includes('?') ? '&' : '?'}clinic=${encodeURIComponent(clinicId)}`;
}

/** What the API answers a role that may not do what a page is for (403 → "You do not have access to this."). */
export const FORBIDDEN = new ApiError(403, 'forbidden', 'Forbidden');

/**
 * A page the role may not use, reached by URL: the API's refusal in words before anything can be
 * filled in or chosen (no call is made), who does it instead, and the way back to the role's home.
 */
export function NoAccess({ session, title, who }: { session: StaffSession; title: string; who: string }) {
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <ErrorAlert error={FORBIDDEN} title={who} />
      <p>
        <Link href={staffHome(session.role)}>Back to your start page</Link>
      </p>
    </>
  );
}

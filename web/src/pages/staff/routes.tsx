// The staff side's routes (loaded as a chunk of its own when a staff member signs in). A page that
// is there to do what only some roles may do (the grants of its routes, docs/api-reference.md: adding
// a client, booking, moving, exports, revenue, invoices, a superbill) refuses the other roles on
// arrival, before anything can be filled in (NoAccess); the API's policy still decides every call.
// Settings and Sell a program say so themselves; the others show what the role may read.
import type { ReactNode } from 'react';
import { match, Redirect } from '../../router.tsx';
import { NotFoundPage } from '../not-found.tsx';
import { NoAccess } from './common.tsx';
import { staffHome, type StaffRole, type StaffSession } from './nav.ts';
import { DayPage } from './day.tsx';
import { WeekPage } from './week.tsx';
import { ClientsPage } from './clients.tsx';
import { NewClientPage } from './client-new.tsx';
import { ClientChartPage } from './client-chart.tsx';
import { StaffBookPage } from './book.tsx';
import { SellProgramPage } from './sell-program.tsx';
import { StaffReschedulePage } from './reschedule.tsx';
import { StaffInvoicesPage } from './invoices.tsx';
import { StaffInvoicePage } from './invoice.tsx';
import { ExportsPage } from './exports.tsx';
import { RevenuePage } from './revenue.tsx';
import { StaffSuperbillPage } from './superbill.tsx';
import { SettingsPage } from './settings.tsx';
import { TimeOffPage } from './time-off.tsx';
import { WaitlistPage } from './waitlist.tsx';

const DESK: readonly StaffRole[] = ['frontdesk', 'admin'];
const MONEY: readonly StaffRole[] = ['frontdesk', 'finance', 'admin'];
const FINANCE: readonly StaffRole[] = ['finance', 'admin'];

/** A page for `roles` only: the others are told on arrival. */
function only(s: StaffSession, roles: readonly StaffRole[], title: string, who: string, page: ReactNode): ReactNode {
  return roles.includes(s.role) ? page : <NoAccess session={s} title={title} who={who} />;
}

export function StaffRoutes({ path, session: s }: { path: string; session: StaffSession }): ReactNode {
  let p: Record<string, string> | null;
  const booking = 'Sessions are booked and moved by the front desk or an administrator';
  if (path === '/staff') return <Redirect to={staffHome(s.role)} />;
  if (path === '/staff/day') return <DayPage session={s} />;
  if (path === '/staff/week') return <WeekPage session={s} />;
  // GET …/time-off: staff; adding and removing (front desk, admin) are the page's own to offer
  if (path === '/staff/time-off') return <TimeOffPage session={s} />;
  if (path === '/staff/clients') return <ClientsPage session={s} />;
  // GET /v1/clinics/{id}/waitlist: front desk, admin
  if (path === '/staff/waitlist')
    return only(s, DESK, 'Waitlist', 'The waitlist is kept by the front desk and administrators', <WaitlistPage session={s} />);
  // POST /v1/clients: front desk, admin
  if (path === '/staff/clients/new')
    return only(s, DESK, 'Add a new client', 'Clients are added by the front desk or an administrator', <NewClientPage session={s} />);
  if ((p = match('/staff/clients/:clientId', path))) return <ClientChartPage session={s} clientId={p.clientId ?? ''} />;
  // POST /v1/appointments: front desk, admin
  if ((p = match('/staff/clients/:clientId/book', path)))
    return only(s, DESK, 'Book for a client', booking, <StaffBookPage session={s} clientId={p.clientId ?? ''} />);
  if ((p = match('/staff/clients/:clientId/programs/new', path))) return <SellProgramPage session={s} clientId={p.clientId ?? ''} />;
  // GET /v1/clients/{id}/superbill: finance, admin (and the client)
  if ((p = match('/staff/clients/:clientId/superbill', path)))
    return only(
      s,
      FINANCE,
      'Superbill',
      'Superbills and receipts for insurance are made by finance or an administrator',
      <StaffSuperbillPage session={s} clientId={p.clientId ?? ''} />,
    );
  // POST /v1/appointments/{id}/reschedule: front desk, admin (and the client)
  if ((p = match('/staff/appointments/:appointmentId/reschedule', path)))
    return only(s, DESK, 'Move a session', booking, <StaffReschedulePage session={s} appointmentId={p.appointmentId ?? ''} />);
  // GET /v1/invoices, /v1/invoices/{id}: front desk, finance, admin
  const invoices = 'Invoices are for the front desk, finance and administrators';
  if (path === '/staff/invoices') return only(s, MONEY, 'Invoices', invoices, <StaffInvoicesPage session={s} />);
  if ((p = match('/staff/invoices/:invoiceId', path)))
    return only(s, MONEY, 'Invoice', invoices, <StaffInvoicePage session={s} invoiceId={p.invoiceId ?? ''} />);
  // POST /v1/clinics/{id}/exports, GET …/reports/revenue: finance, admin
  if (path === '/staff/exports')
    return only(s, FINANCE, 'Ledger exports', 'Ledger exports are made by finance or an administrator', <ExportsPage session={s} />);
  if (path === '/staff/revenue')
    return only(s, FINANCE, 'Revenue', 'Revenue is for finance and administrators', <RevenuePage session={s} />);
  if (path === '/staff/settings') return <SettingsPage session={s} section={undefined} />;
  if ((p = match('/staff/settings/:section', path))) return <SettingsPage session={s} section={p.section} />;
  return <NotFoundPage />;
}

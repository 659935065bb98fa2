// The staff side's routes (loaded as a chunk of its own when a staff member signs in): every page
// for every staff role; the API's policy answers 403 where a role may not go, and the page says so.
import type { ReactNode } from 'react';
import { match, Redirect } from '../../router.tsx';
import { NotFoundPage } from '../not-found.tsx';
import { staffHome, type StaffSession } from './nav.ts';
import { DayPage } from './day.tsx';
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

export function StaffRoutes({ path, session: s }: { path: string; session: StaffSession }): ReactNode {
  let p: Record<string, string> | null;
  if (path === '/staff') return <Redirect to={staffHome(s.role)} />;
  if (path === '/staff/day') return <DayPage session={s} />;
  if (path === '/staff/clients') return <ClientsPage session={s} />;
  if (path === '/staff/clients/new') return <NewClientPage session={s} />;
  if ((p = match('/staff/clients/:clientId', path))) return <ClientChartPage session={s} clientId={p.clientId ?? ''} />;
  if ((p = match('/staff/clients/:clientId/book', path))) return <StaffBookPage session={s} clientId={p.clientId ?? ''} />;
  if ((p = match('/staff/clients/:clientId/programs/new', path))) return <SellProgramPage session={s} clientId={p.clientId ?? ''} />;
  if ((p = match('/staff/clients/:clientId/superbill', path))) return <StaffSuperbillPage session={s} clientId={p.clientId ?? ''} />;
  if ((p = match('/staff/appointments/:appointmentId/reschedule', path)))
    return <StaffReschedulePage session={s} appointmentId={p.appointmentId ?? ''} />;
  if (path === '/staff/invoices') return <StaffInvoicesPage session={s} />;
  if ((p = match('/staff/invoices/:invoiceId', path))) return <StaffInvoicePage session={s} invoiceId={p.invoiceId ?? ''} />;
  if (path === '/staff/exports') return <ExportsPage session={s} />;
  if (path === '/staff/revenue') return <RevenuePage session={s} />;
  if (path === '/staff/settings') return <SettingsPage session={s} section={undefined} />;
  if ((p = match('/staff/settings/:section', path))) return <SettingsPage session={s} section={p.section} />;
  return <NotFoundPage />;
}

// The client's programs on the chart (GET /v1/clients/{id}/packages, newest first): each with its
// status, how it is paid, the sessions left (a cancelled one: none left to use), and its invoice
// (where the staff take a payment or cancel the program and refund it; not linked for a clinician,
// whom the invoice route refuses). The front desk and admin sell one from here.
import { ok } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { Badge, Loading } from '../../components/ui.tsx';
import { serviceName, type ClinicSetup, type Package } from '../../lib/clinic-data.ts';
import { formatMoney } from '../../lib/format.ts';
import { CREDIT_SERVICES, PACKAGE_STATUS, PAYMENT_WORDS, type CreditService } from '../../lib/packages.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link } from '../../router.tsx';
import type { StaffSession } from './common.tsx';
import { PartError } from './chart-common.tsx';
import { staffLinks } from './clients-data.ts';

/**
 * The sessions a program has left, in words. A cancelled program has none left to use, whatever its
 * credits still count (the API leaves them as they were when it was cancelled).
 */
export function creditsWords(setup: ClinicSetup, p: Package): string {
  const used = (s: CreditService) => `${serviceName(setup, s)}: ${p.credits[s].used} of ${p.credits[s].total} used`;
  if (p.status === 'cancelled') return `Cancelled: no sessions left to use (${CREDIT_SERVICES.map(used).join(', ')})`;
  return CREDIT_SERVICES.map((s) => `${serviceName(setup, s)}: ${p.credits[s].remaining} of ${p.credits[s].total} left`).join(' · ');
}

export function ProgramsPart({
  session,
  setup,
  clientId,
  canSell,
  changes,
}: {
  session: StaffSession;
  setup: ClinicSetup;
  clientId: string;
  canSell: boolean;
  /** Counts the chart's changes to the client's appointments: a credit used or given back, so the programs are read again. */
  changes: number;
}) {
  const { api } = useApp();
  const packages = useLoad(
    () => ok(api.GET('/v1/clients/{clientId}/packages', { params: { path: { clientId } } })),
    // `changes` is not read: a change means the credits may have changed
    [api, clientId, changes],
  );
  const links = staffLinks(session, setup.clinic.id);
  // the program's invoice (GET /v1/invoices/{id}: front desk, finance, admin; a clinician is refused)
  const invoiceLink =
    session.role === 'clinician' ? undefined : session.role === 'finance' ? 'Invoice and cancel' : 'Invoice, payment and cancel';
  return (
    <section className="card" aria-labelledby="programs">
      <h2 id="programs">Programs</h2>
      {packages.error && !packages.data ? (
        <PartError error={packages.error} title="The programs could not load" />
      ) : !packages.data ? (
        <Loading />
      ) : packages.data.length === 0 ? (
        <p className="muted">No program bought yet.</p>
      ) : (
        <ul className="chart-programs">
          {packages.data.map((p) => {
            const status = PACKAGE_STATUS[p.status];
            return (
              <li key={p.id}>
                <strong>{p.programName}</strong> <Badge tone={status.tone}>{status.label}</Badge>
                <span className="row-detail">
                  {formatMoney(p.price)} · {PAYMENT_WORDS[p.payment]} · {creditsWords(setup, p)}
                </span>
                {p.invoiceId && invoiceLink && <Link href={links.invoice(p.invoiceId)}>{invoiceLink}</Link>}
              </li>
            );
          })}
        </ul>
      )}
      {canSell && (
        <p className="actions">
          <Link className="btn btn-secondary" href={links.sellProgram(clientId)}>
            Sell a program
          </Link>
        </p>
      )}
    </section>
  );
}

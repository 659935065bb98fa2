// The client's programs on the chart (GET /v1/clients/{id}/packages, newest first): each with its
// status, how it is paid, the sessions left, and its invoice (where the staff take a payment or
// cancel the program and refund it). The front desk and admin sell one from here.
import { ok } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { Badge, Loading } from '../../components/ui.tsx';
import { serviceName, type ClinicSetup } from '../../lib/clinic-data.ts';
import { formatMoney } from '../../lib/format.ts';
import { CREDIT_SERVICES, PACKAGE_STATUS, PAYMENT_WORDS } from '../../lib/packages.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link } from '../../router.tsx';
import type { StaffSession } from './common.tsx';
import { PartError } from './chart-common.tsx';
import { staffLinks } from './clients-data.ts';

export function ProgramsPart({
  session,
  setup,
  clientId,
  canSell,
}: {
  session: StaffSession;
  setup: ClinicSetup;
  clientId: string;
  canSell: boolean;
}) {
  const { api } = useApp();
  const packages = useLoad(() => ok(api.GET('/v1/clients/{clientId}/packages', { params: { path: { clientId } } })), [api, clientId]);
  const links = staffLinks(session, setup.clinic.id);
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
                  {formatMoney(p.price)} · {PAYMENT_WORDS[p.payment]} ·{' '}
                  {CREDIT_SERVICES.map((s) => `${serviceName(setup, s)}: ${p.credits[s].remaining} of ${p.credits[s].total} left`).join(
                    ' · ',
                  )}
                </span>
                {p.invoiceId && <Link href={links.invoice(p.invoiceId)}>Invoice, payment and cancel</Link>}
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

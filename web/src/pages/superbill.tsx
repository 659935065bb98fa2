// The client's superbill (US clinics) or receipt for insurance (Canadian clinics) over the dates it
// picks: the summary (GET /v1/clients/{id}/superbill as JSON: each completed session, its codes,
// charge and payment, the totals) and the PDF to send to an insurer (the same route with
// Accept: application/pdf, fetched with the bearer token as a blob). The dates stay in the page,
// never in the URL (dates of service are health information). A document the clinic cannot make
// yet (422: no diagnosis recorded, a practitioner without an NPI, no billing profile) says why in
// plain words (api/errors.ts).
import type { FormEvent } from 'react';
import type { ClientSession } from '../app.tsx';
import { useApp } from '../app-context.tsx';
import { Button, ErrorAlert, Loading, PageError, PageTitle } from '../components/ui.tsx';
import { SuperbillDateFields, SuperbillSummary, useSuperbill } from '../components/superbill.tsx';
import { clientRecord } from '../lib/client-data.ts';
import { clinicSetup, type ClinicSetup } from '../lib/clinic-data.ts';
import { useLoad } from '../lib/use-load.ts';
import { Link } from '../router.tsx';

export function SuperbillPage({ session }: { session: ClientSession }) {
  const { api } = useApp();
  const data = useLoad(async () => {
    const client = await clientRecord(api, session.clientId);
    return clinicSetup(api, client.clinicId);
  }, [api, session.clientId]);
  if (data.error) return <PageError title="This page could not load" error={data.error} />;
  if (!data.data) return <Loading />;
  return <SuperbillForm session={session} setup={data.data} />;
}

function SuperbillForm({ session, setup }: { session: ClientSession; setup: ClinicSetup }) {
  const bill = useSuperbill(session.clientId, setup);
  const { us, rangeProblem, shown, busy, error } = bill;
  const title = us ? 'Superbill for your insurance' : 'Receipt for your insurance';
  const show = (e: FormEvent) => {
    e.preventDefault();
    void bill.show();
  };

  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <p className="lead">
        {us
          ? 'A superbill lists your completed sessions with the codes an insurer asks for (diagnosis, CPT, place of service, your practitioner’s NPI), what was charged and what you paid. Send it to your insurer to claim out-of-network benefits.'
          : 'A receipt for insurance lists your completed sessions with your practitioner’s credentials, what was charged and what you paid. Send it to your insurer or keep it for your taxes.'}
      </p>
      <form className="card form superbill-form" onSubmit={show} noValidate>
        <SuperbillDateFields state={bill} />
        <div className="actions">
          <Button type="submit" busy={busy === 'show'} disabled={rangeProblem !== undefined}>
            Show my sessions
          </Button>
          <Button kind="secondary" busy={busy === 'pdf'} disabled={rangeProblem !== undefined} onClick={() => void bill.download()}>
            Download PDF
          </Button>
        </div>
      </form>
      <ErrorAlert error={error} title={us ? 'The superbill could not be made' : 'The receipt could not be made'} />
      {busy === 'show' && <Loading label="Gathering your sessions…" />}
      {shown && <SuperbillSummary setup={setup} shown={shown} />}
      <p>
        <Link href="/invoices">Invoices and receipts for each payment</Link>
      </p>
    </>
  );
}

// A client's superbill (US clinics) or receipt for insurance (Canadian clinics), as finance and admin
// make it for the client: the dates (this year so far by default, at most 366 days), the summary
// (GET /v1/clients/{id}/superbill as JSON: the clinic's legal name and numbers, the diagnosis codes
// lettered as on the PDF, each completed session with its codes, charge and payment, the totals)
// and the PDF (the same route with Accept: application/pdf, fetched with the bearer token as a
// blob). The summary is read once on opening, for the default dates. The dates stay in the page,
// never in the URL (dates of service are health information). A document the clinic cannot make
// yet (422) says what is missing and who fixes it, in words for staff. The clinic is the client's.
import { useEffect, useRef, type FormEvent } from 'react';
import { ok } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { Button, ErrorAlert, Loading, PageTitle } from '../../components/ui.tsx';
import { SuperbillDateFields, SuperbillSummary, useSuperbill } from '../../components/superbill.tsx';
import { clinicSetup, type Client, type ClinicSetup } from '../../lib/clinic-data.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link } from '../../router.tsx';
import { withClinic, type StaffSession } from './common.tsx';
import { ClinicLine, StaffErrorAlert } from './finance-common.tsx';
import './finance.css';

/** What the client's insurance document is called where the clinic is: a superbill (US), a receipt for insurance (Canada). */
export const insuranceDocument = (setup: Pick<ClinicSetup, 'clinic'>) =>
  setup.clinic.country === 'US' ? 'Superbill' : 'Receipt for insurance';

export function StaffSuperbillPage({ session, clientId }: { session: StaffSession; clientId: string }) {
  const { api } = useApp();
  const data = useLoad(async () => {
    const client = await ok(api.GET('/v1/clients/{clientId}', { params: { path: { clientId } } }));
    return { client, setup: await clinicSetup(api, client.clinicId) };
  }, [api, clientId]);
  const kind = data.data ? insuranceDocument(data.data.setup) : 'Superbill';
  return (
    <>
      <PageTitle title={kind}>
        {kind}
        {data.data && (
          <>
            {' '}
            <span className="fin-title-detail">
              for {data.data.client.firstName} {data.data.client.lastName}
            </span>
          </>
        )}
      </PageTitle>
      {data.error ? (
        <ErrorAlert error={data.error} title="This client could not load" />
      ) : data.data ? (
        <SuperbillForm session={session} client={data.data.client} setup={data.data.setup} />
      ) : (
        <Loading />
      )}
    </>
  );
}

function SuperbillForm({ session, client, setup }: { session: StaffSession; client: Client; setup: ClinicSetup }) {
  const bill = useSuperbill(client.id, setup);
  const { us, rangeProblem, shown, busy, error } = bill;

  // the default dates' summary at once (and the API's answer: a refusal, or no access)
  const opened = useRef(false);
  useEffect(() => {
    if (opened.current) return;
    opened.current = true;
    void bill.show();
  }, []); // once, on opening

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void bill.show();
  };

  return (
    <>
      <ClinicLine setup={setup} />
      <p className="lead">
        {us
          ? 'The client’s completed sessions with the codes an insurer asks for (diagnosis, CPT, place of service, the practitioner’s NPI), what was charged and what the client paid, to hand to the client for an out-of-network claim.'
          : 'The client’s completed sessions with each practitioner’s credentials, what was charged and what the client paid, for the client’s insurer.'}
      </p>
      <form className="card form superbill-form" onSubmit={submit} noValidate aria-label="Dates of the document">
        <SuperbillDateFields state={bill} />
        <div className="actions">
          <Button type="submit" busy={busy === 'show'} disabled={rangeProblem !== undefined}>
            Show sessions
          </Button>
          <Button kind="secondary" busy={busy === 'pdf'} disabled={rangeProblem !== undefined} onClick={() => void bill.download()}>
            Download PDF
          </Button>
        </div>
      </form>
      <StaffErrorAlert error={error} title={us ? 'The superbill could not be made' : 'The receipt could not be made'} />
      {busy === 'show' && <Loading label="Gathering the client’s sessions…" />}
      {shown && <SuperbillSummary setup={setup} shown={shown} tableClassName="fin-table" />}
      <p>
        <Link href={withClinic(`/staff/clients/${encodeURIComponent(client.id)}`, session, client.clinicId)}>The client’s chart</Link>
        {' · '}
        <Link href={withClinic('/staff/invoices', session, client.clinicId)}>Invoices</Link>
      </p>
    </>
  );
}

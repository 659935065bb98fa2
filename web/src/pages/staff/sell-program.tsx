// The front desk sells a program to a client (a client who phones, or who has no app): the
// clinic's programs on sale, then the same purchase the client's own app makes (buy.tsx Purchase:
// pay in full, pay later, or the clinic's installment plan with its schedule shown first). The
// answer's Checkout page is offered as a link, to open at the desk or send to the client; the
// program turns active when the payment is confirmed, as for the client's own purchase.
import { useState } from 'react';
import { useApp } from '../../app-context.tsx';
import { Alert, ErrorAlert, Loading, PageTitle, Select } from '../../components/ui.tsx';
import { clinicSetup } from '../../lib/clinic-data.ts';
import { formatMoney } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link } from '../../router.tsx';
import { Purchase } from '../buy.tsx';
import type { StaffSession } from './common.tsx';
import { booksForClients, fetchClient, fullName, staffLinks } from './clients-data.ts';

interface Started {
  checkoutUrl: string;
  invoiceId: string | null;
}

export function SellProgramPage({ session, clientId }: { session: StaffSession; clientId: string }) {
  const { api } = useApp();
  const data = useLoad(async () => {
    const client = await fetchClient(api, clientId);
    return { client, setup: await clinicSetup(api, client.clinicId) };
  }, [api, clientId]);
  const [programId, setProgramId] = useState<string>();
  const [started, setStarted] = useState<Started>();

  if (!data.data)
    return (
      <>
        <PageTitle title="Sell a program">Sell a program</PageTitle>
        {data.error ? <ErrorAlert error={data.error} title="This client could not load" /> : <Loading />}
      </>
    );
  const { client, setup } = data.data;
  const links = staffLinks(session, client.clinicId);
  if (!booksForClients(session))
    return (
      <>
        <PageTitle title="Sell a program">Sell a program</PageTitle>
        <Alert kind="info" title="You do not have access to this.">
          Programs are sold by the front desk or an admin. <Link href={links.chart(clientId)}>Back to the client’s chart</Link>
        </Alert>
      </>
    );
  const onSale = setup.programs.filter((p) => !p.retired);
  const program = onSale.find((p) => p.id === programId) ?? onSale[0];
  const name = fullName(client);

  return (
    <>
      {/* the window's title stays in the browser's history: no client's name there */}
      <PageTitle title="Sell a program">Sell a program to {name}</PageTitle>
      {started ? (
        <Alert kind="success" title="The payment page is ready">
          <p>
            <a href={started.checkoutUrl} target="_blank" rel="noopener noreferrer">
              Open the payment page
            </a>{' '}
            (a new tab) and let {client.firstName} pay there, or send them the link. The program turns active as soon as the payment is
            confirmed; nothing is charged if the page is left.
          </p>
          <p className="actions">
            {started.invoiceId && <Link href={links.invoice(started.invoiceId)}>The program’s invoice</Link>}
            <Link href={links.chart(clientId)}>Back to {client.firstName}’s chart</Link>
          </p>
        </Alert>
      ) : !program ? (
        <Alert kind="info" title="No program on sale">
          The clinic sells no program at the moment; an admin adds them in Settings.
        </Alert>
      ) : (
        <>
          <Select
            label="Program"
            value={program.id}
            onChange={setProgramId}
            options={onSale.map((p) => ({ value: p.id, label: `${p.name} · ${formatMoney(p.price)}` }))}
          />
          <Purchase
            key={program.id}
            clientId={clientId}
            setup={setup}
            program={program}
            forStaff
            back={{ href: links.chart(clientId), label: `Back to ${client.firstName}’s chart` }}
            onCheckout={(checkoutUrl, result) => setStarted({ checkoutUrl, invoiceId: result.invoiceId })}
          />
        </>
      )}
    </>
  );
}

// The front desk sells a program to a client (a client who phones, or who has no app): the
// clinic's programs on sale, then the same purchase the client's own app makes (buy.tsx Purchase:
// pay in full, pay later, or the clinic's installment plan with its schedule shown first). The
// answer's Checkout page is offered as a link with what it asks for now, to open at the desk or
// copy and send to the client; the page watches the package and says when the payment is
// confirmed (the program turns active then, as for the client's own purchase).
import { useState } from 'react';
import { useApp } from '../../app-context.tsx';
import { ok } from '../../api/client.ts';
import { Alert, Button, ErrorAlert, Loading, PageTitle, Select } from '../../components/ui.tsx';
import { clinicSetup } from '../../lib/clinic-data.ts';
import { formatMoney } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { usePoll } from '../../lib/use-poll.ts';
import { Link } from '../../router.tsx';
import { Purchase } from '../buy.tsx';
import type { StaffSession } from './common.tsx';
import { booksForClients, fetchClient, fullName, staffLinks } from './clients-data.ts';
import { CopyLink } from './copy-link.tsx';
import { dueNow, programPayment, WATCH_FOR_MS, WATCH_PACE } from './payment-link-rules.ts';

interface Started {
  checkoutUrl: string;
  packageId: string;
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
        <Sold started={started} firstName={client.firstName} links={links} clientId={clientId} />
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
            onCheckout={(checkoutUrl, result) => setStarted({ checkoutUrl, ...result })}
          />
        </>
      )}
    </>
  );
}

/**
 * The payment page of the program just sold: what it asks for now (read from the package: the
 * down payment of a plan, else the price), the link with "Copy link", and the package read again
 * (WATCH_PACE: often at first, then further apart; not while the tab is hidden) until its first
 * payment lands (for a few minutes; then a check on demand).
 */
function Sold({
  started,
  firstName,
  links,
  clientId,
}: {
  started: Started;
  firstName: string;
  links: ReturnType<typeof staffLinks>;
  clientId: string;
}) {
  const { api } = useApp();
  const pkg = useLoad(
    () => ok(api.GET('/v1/packages/{packageId}', { params: { path: { packageId: started.packageId } } })),
    [api, started.packageId],
  );
  const state = pkg.data ? programPayment(pkg.data) : 'waiting';
  const { timedOut } = usePoll(pkg.data !== undefined && state === 'waiting', pkg.reload, { ...WATCH_PACE, forMs: WATCH_FOR_MS });
  const due = pkg.data ? dueNow(pkg.data) : undefined;
  const [checking, setChecking] = useState(false);
  const check = async () => {
    setChecking(true);
    await pkg.reload();
    setChecking(false);
  };
  const after = (
    <p className="actions">
      {started.invoiceId && <Link href={links.invoice(started.invoiceId)}>The program’s invoice</Link>}
      <Link href={links.chart(clientId)}>Back to {firstName}’s chart</Link>
    </p>
  );
  if (state === 'paid')
    return (
      <Alert kind="success" title="Payment received">
        <p>
          {due ? `${formatMoney(due.amount)} was paid` : 'The payment was confirmed'}: the program is active and its sessions can be booked.
        </p>
        {after}
      </Alert>
    );
  if (state === 'lapsed')
    return (
      <Alert kind="warning" title="The payment page expired unpaid">
        <p>Nothing was charged and the program was not bought. Sell it again to make a new payment page.</p>
        {after}
      </Alert>
    );
  return (
    // not a live region: Copy link, the watch and a failed read say their news themselves; focus comes here
    <Alert kind="info" title="The payment page is ready" live={false} focusKey={started.checkoutUrl}>
      {due && (
        <p>
          Due now: <strong>{formatMoney(due.amount)}</strong> ({due.how}).
        </p>
      )}
      <p>
        <a href={started.checkoutUrl} target="_blank" rel="noopener noreferrer">
          {due ? `Open the payment page for ${formatMoney(due.amount)}` : 'Open the payment page'}
        </a>{' '}
        (a new tab) and let {firstName} pay there, or send them the link. The program turns active as soon as the payment is confirmed;
        nothing is charged if the page is left.
      </p>
      <CopyLink url={started.checkoutUrl} />
      <p role="status">
        {timedOut
          ? 'No payment has been confirmed yet. Once it is made, check again.'
          : 'This page shows the payment as soon as the card processor confirms it.'}
      </p>
      <div className="actions">
        <Button kind="secondary" onClick={() => void check()} busy={checking}>
          Check for the payment
        </Button>
      </div>
      <ErrorAlert error={pkg.error} title="The program could not be read" />
      {after}
    </Alert>
  );
}

// One clinic: where it is and its phone, its services and programs with prices in its currency, its
// cancellation policy, and the way in to book (an intake first: docs/domain.md, "Course of care")
// and to buy a program.
import { useApp } from '../app-context.tsx';
import { Alert, Loading, PageError, PageTitle, TableWrap } from '../components/ui.tsx';
import { storeBookService } from '../lib/book-service.ts';
import { clientRecord } from '../lib/client-data.ts';
import { clinicSetup, type Program } from '../lib/clinic-data.ts';
import { addressLines, phoneLink, type ClinicContact } from '../lib/clinic-contact.ts';
import { formatDuration, formatMoney, zoneLabel } from '../lib/format.ts';
import { useLoad } from '../lib/use-load.ts';
import { Link } from '../router.tsx';

export function ClinicPage({ clinicId }: { clinicId: string }) {
  const { api, session } = useApp();
  const clientId = session?.role === 'client' ? session.clientId : undefined;
  const setup = useLoad(async () => {
    const [data, client] = await Promise.all([clinicSetup(api, clinicId), clientId ? clientRecord(api, clientId) : undefined]);
    // a client of another clinic books there: its name, for the way back
    const home = client && client.clinicId !== clinicId ? (await clinicSetup(api, client.clinicId)).clinic : undefined;
    return { ...data, client, home };
  }, [api, clinicId, clientId]);
  if (setup.error) return <PageError title="This clinic could not load" error={setup.error} />;
  if (!setup.data) return <Loading />;
  const { clinic, services, programs, client, home } = setup.data;
  // a visitor signs in first; a client buys from its own clinic; staff do not buy here
  const buyHref = (p: Program): string | undefined => {
    const page = `/clinics/${encodeURIComponent(clinic.id)}/programs/${encodeURIComponent(p.id)}`;
    if (!session) return `/sign-in?clinic=${encodeURIComponent(clinic.id)}&next=${encodeURIComponent(page)}`;
    return client?.clinicId === clinic.id ? page : undefined;
  };
  const policy = clinic.policy;
  // the intake is stored in the tab (lib/book-service.ts), which a sign-in first keeps too
  const bookHref =
    session?.role === 'client' && session.clientId
      ? '/book'
      : `/sign-in?clinic=${encodeURIComponent(clinic.id)}&next=${encodeURIComponent('/book')}`;

  return (
    <>
      <PageTitle title={clinic.name}>{clinic.name}</PageTitle>
      <p className="lead">
        Times are shown in {zoneLabel(clinic.timezone)}. Prices are in {clinic.currency}.
      </p>
      {clinic.contact && <ClinicContactBlock contact={clinic.contact} />}
      {home ? (
        // booking here would book at the client's own clinic (the booking page's): say so instead
        <Alert kind="info" title={`You are a client of ${home.name}`}>
          You book your sessions and programs there. <Link href={`/clinics/${encodeURIComponent(home.id)}`}>Go to {home.name}</Link>
        </Alert>
      ) : (
        <p>
          <Link className="btn btn-primary" href={bookHref} onClick={() => storeBookService('intake')}>
            Book an intake
          </Link>
        </p>
      )}

      <section aria-labelledby="services">
        <h2 id="services">Sessions</h2>
        <TableWrap label="Sessions and prices">
          <table>
            <caption className="visually-hidden">Sessions, their length, where they are held, and their price</caption>
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col" className="num">
                  Price
                </th>
              </tr>
            </thead>
            <tbody>
              {services.map((s) => (
                <tr key={s.code}>
                  <th scope="row">
                    {s.name}
                    <span className="row-detail">
                      {formatDuration(s.durationMinutes)} · {s.telehealthAllowed ? 'in person or by video' : 'in person only'}
                    </span>
                  </th>
                  <td className="num">{formatMoney(s.price)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>

      <section aria-labelledby="programs">
        <h2 id="programs">Programs</h2>
        {programs.filter((p) => !p.retired).length === 0 ? (
          <p>This clinic sells single sessions only.</p>
        ) : (
          <ul className="card-list programs">
            {programs
              .filter((p) => !p.retired)
              .map((p) => (
                <ProgramCard key={p.id} program={p} buyHref={buyHref(p)} />
              ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="policy">
        <h2 id="policy">Cancellation and booking</h2>
        <ul>
          <li>
            Cancel a session free of charge up to {policy.cancellationWindowHours} hours before it starts. Later, a late-cancellation fee of{' '}
            {formatMoney(policy.lateCancellationFee)} applies.
          </li>
          <li>
            Book online from {policy.minimumNoticeHours} hours to {policy.bookingWindowDays} days ahead.
          </li>
          <li>After a dosing session you may not drive for at least 8 hours: someone you trust takes you home.</li>
        </ul>
      </section>
    </>
  );
}

function ProgramCard({ program, buyHref }: { program: Program; buyHref: string | undefined }) {
  return (
    <li className="card program">
      <h3 id={`program-${program.id}`}>{program.name}</h3>
      <p className="price">{formatMoney(program.price)}</p>
      <p className="muted">{program.tier === 'extra_support' ? 'Extra support' : 'Standard'}</p>
      <ProgramIncludes program={program} />
      {buyHref && (
        <p className="program-buy">
          <Link className="btn btn-secondary" href={buyHref} aria-describedby={`program-${program.id}`}>
            Choose this program
          </Link>
        </p>
      )}
    </li>
  );
}

/** The sessions a program includes, as a list. */
export function ProgramIncludes({ program }: { program: Program }) {
  const { includes } = program;
  return (
    <ul>
      <li>
        {includes.exploration} dosing session{includes.exploration === 1 ? '' : 's'}
      </li>
      <li>
        {includes.preparation} preparation session{includes.preparation === 1 ? '' : 's'}
      </li>
      <li>
        {includes.integration} integration session{includes.integration === 1 ? '' : 's'}
      </li>
    </ul>
  );
}

/** Where the clinic is and its phone (a tel: link: one tap on a phone). */
function ClinicContactBlock({ contact }: { contact: ClinicContact }) {
  const [street, city] = addressLines(contact.address);
  const phone = phoneLink(contact.phone);
  return (
    <address className="clinic-contact">
      {street}
      <br />
      {city}
      <br />
      <a href={phone.href}>{phone.text}</a>
    </address>
  );
}

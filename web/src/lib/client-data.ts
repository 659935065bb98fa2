// The signed-in client's own record (clinic, contact details, course-of-care status), read afresh
// whenever a page asks for it: the front desk and clinicians change it while the tab is open (a
// ride-home phone, a clearance), and a copy kept for the tab's life would show, and send back,
// what was true when it was first read. Parts of one page that ask at the same moment share the
// one read under way.
import { ok, type Api } from '../api/client.ts';
import type { Client } from './clinic-data.ts';

const reading = new Map<string, Promise<Client>>();

export function clientRecord(api: Api, clientId: string): Promise<Client> {
  const under = reading.get(clientId);
  if (under) return under;
  const read = ok(api.GET('/v1/clients/{clientId}', { params: { path: { clientId } } }));
  const done = () => {
    if (reading.get(clientId) === read) reading.delete(clientId);
  };
  read.then(done, done);
  reading.set(clientId, read);
  return read;
}

/** Forget the reads under way (sign-out): nothing of one person reaches the next. */
export function forgetClients(): void {
  reading.clear();
}

// The signed-in client's own record (clinic, contact details, course-of-care status), read once and
// shared by the client's pages; a profile change replaces it.
import { ok, type Api } from '../api/client.ts';
import type { Client } from './clinic-data.ts';

const cache = new Map<string, Promise<Client>>();

export function clientRecord(api: Api, clientId: string): Promise<Client> {
  let record = cache.get(clientId);
  if (!record) {
    record = ok(api.GET('/v1/clients/{clientId}', { params: { path: { clientId } } }));
    record.catch(() => cache.delete(clientId));
    cache.set(clientId, record);
  }
  return record;
}

export function rememberClient(client: Client): void {
  cache.set(client.id, Promise.resolve(client));
}

/** Forget every record (sign-out): nothing of one person stays for the next. */
export function forgetClients(): void {
  cache.clear();
}

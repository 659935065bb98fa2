// The local AuthProvider: tokens from the local server's `POST /v1/dev/token` (a route that
// exists only in `npm start`, never on AWS). A new client gets a token with a fresh `sub` and its
// e-mail (counted as verified), creates its record, then a token naming its clientId.
import type { AuthProvider, DemoClient, LocalIdentity, PasswordIdentity } from './provider.ts';
import { sessionOf } from './session.ts';

async function post<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path} answered ${res.status}`);
  return (await res.json()) as T;
}

const token = async (body: Record<string, string>) => (await post<{ token: string }>('/v1/dev/token', body)).token;

export const localAuthProvider: AuthProvider = {
  kind: 'local',
  async demoClients() {
    const res = await fetch('/v1/dev/demo-clients');
    if (!res.ok) throw new Error(`/v1/dev/demo-clients answered ${res.status}`);
    return (await res.json()) as DemoClient[];
  },
  async signIn(who: LocalIdentity | PasswordIdentity) {
    switch (who.kind) {
      case 'password':
        throw new Error('The local server signs in without a password: choose who you are');
      case 'client':
        return token({ role: 'client', clientId: who.clientId, sub: `demo-${who.clientId}` });
      case 'new-client':
        return token({ role: 'client', email: who.email, sub: `web-${crypto.randomUUID()}` });
      case 'staff':
        return token({ role: who.role, ...(who.clinicId ? { clinicId: who.clinicId } : {}) });
    }
  },
  async refresh(current, clientId) {
    const session = sessionOf(current);
    if (!session) throw new Error('Not signed in');
    // as Cognito's refreshed ID token does, the new token keeps the verified e-mail address
    return token({ role: 'client', sub: session.sub, clientId, ...(session.email ? { email: session.email } : {}) });
  },
  async signOut() {
    // local tokens are not revocable; forgetting the token (tokenStore.clear) is the sign-out
  },
};

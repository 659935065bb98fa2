// Who is signed in, read from the token itself: the claims a Cognito ID token carries
// (`cognito:groups`, `custom:clinicId`, `custom:clientId`), which the local dev tokens copy.
// Only the token is stored (sessionStorage: gone when the tab closes; cleared on sign-out); no
// name, date of birth or anything else about the person is kept in the browser.

export type Role = 'client' | 'frontdesk' | 'clinician' | 'finance' | 'admin';

export interface Session {
  token: string;
  sub: string;
  role: Role;
  clinicId?: string;
  clientId?: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

const ROLES: readonly Role[] = ['client', 'frontdesk', 'clinician', 'finance', 'admin'];
const KEY = 'kapstone.token';

function decodePayload(token: string): Record<string, unknown> | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** The session a token stands for, or null when it is malformed or expired. */
export function sessionOf(token: string, nowMs = Date.now()): Session | null {
  const claims = decodePayload(token);
  if (!claims || typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return null;
  if (claims.exp * 1000 <= nowMs) return null;
  const groups = Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as unknown[]) : [];
  // staff roles first: a person in several groups sees the staff side
  const role = [...ROLES].reverse().find((r) => groups.includes(r));
  if (!role) return null;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    token,
    sub: claims.sub,
    role,
    clinicId: str(claims['custom:clinicId']),
    clientId: str(claims['custom:clientId']),
    expiresAt: claims.exp,
  };
}

export const tokenStore = {
  read(): string | null {
    try {
      return sessionStorage.getItem(KEY);
    } catch {
      return null;
    }
  },
  write(token: string): void {
    sessionStorage.setItem(KEY, token);
  },
  clear(): void {
    sessionStorage.removeItem(KEY);
  },
};

// Who is signed in, read from the token itself: the claims a Cognito ID token carries
// (`cognito:groups`, `custom:clinicId`, `custom:clientId`), which the local dev tokens copy.
// Only the token is stored (sessionStorage: gone when the tab closes; cleared on sign-out); no
// name, date of birth or anything else about the person is kept in the browser.

/** `sessionStorage`, typed without the DOM library (the unit tests type-check under Node's). */
export const tabStorage = () =>
  (
    globalThis as unknown as {
      sessionStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void; removeItem(k: string): void };
    }
  ).sessionStorage;

export type Role = 'client' | 'frontdesk' | 'clinician' | 'finance' | 'admin';

export interface Session {
  token: string;
  sub: string;
  role: Role;
  clinicId?: string;
  clientId?: string;
  /** The e-mail address the identity provider verified (a new client's record must use it). */
  email?: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

const ROLES: readonly Role[] = ['client', 'frontdesk', 'clinician', 'finance', 'admin'];
const KEY = 'kapstone.token';
/** A new client's record id, kept only while its token does not yet carry `custom:clientId`. */
const CLIENT_KEY = 'kapstone.clientId';

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
    email: str(claims.email),
    expiresAt: claims.exp,
  };
}

/**
 * The token a call refused with `sent` may be sent again with: the one stored since (renewed, or
 * a renewal of another refused call), only if it is the same person's — never a write made by one
 * person sent again as another who signed in meanwhile.
 */
export function successorOf(sent: string, stored: string | null): string | null {
  if (!stored || stored === sent) return null;
  const sub = decodePayload(stored)?.sub;
  return typeof sub === 'string' && sub === decodePayload(sent)?.sub ? stored : null;
}

/** When the token was issued and when it expires (ms since the epoch, by its issuer's clock); null when malformed. */
export function tokenLifetime(token: string): { issuedAt: number; expiresAt: number } | null {
  const claims = decodePayload(token);
  const iat = claims?.iat;
  const exp = claims?.exp;
  return typeof iat === 'number' && typeof exp === 'number' && exp > iat ? { issuedAt: iat * 1000, expiresAt: exp * 1000 } : null;
}

/** The session, with a new client's record id when its token does not carry it yet. */
export function sessionWithHint(token: string, clientId: string | null, nowMs = Date.now()): Session | null {
  const s = sessionOf(token, nowMs);
  return s && s.role === 'client' && !s.clientId && clientId ? { ...s, clientId } : s;
}

export const tokenStore = {
  read(): string | null {
    try {
      return tabStorage().getItem(KEY);
    } catch {
      return null;
    }
  },
  write(token: string): void {
    tabStorage().setItem(KEY, token);
  },
  clear(): void {
    tabStorage().removeItem(KEY);
    tabStorage().removeItem(CLIENT_KEY);
  },
  readClientId(): string | null {
    try {
      return tabStorage().getItem(CLIENT_KEY);
    } catch {
      return null;
    }
  },
  /** After sign-up on AWS: the record's id when the refreshed token still lacks it (cognito.ts). */
  writeClientId(clientId: string | undefined): void {
    if (clientId) tabStorage().setItem(CLIENT_KEY, clientId);
    else tabStorage().removeItem(CLIENT_KEY);
  },
};

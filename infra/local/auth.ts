// Local stand-in for Cognito and API Gateway's JWT authorizer. Tokens carry the same claims a
// Cognito ID token does (`sub`, `cognito:groups`, `custom:clinicId`, `custom:clientId`), so the
// handlers' claims → principal code (shared/auth/principal.ts) runs unchanged.
//
// DEV ONLY. The default secret below is public, in this file, on purpose: anyone can mint any
// role with it. It is never used on AWS (the deployed API trusts Cognito, not this module), and
// it refuses to load a key inside a Lambda runtime. Set LOCAL_JWT_SECRET (≥ 32 characters) to
// keep tokens of one laptop from working on another.
import { SignJWT, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { randomUUID } from 'node:crypto';
import type { Role } from '#domain/types.ts';

export const LOCAL_ISSUER = 'kapstone-local';
export const LOCAL_AUDIENCE = 'kapstone';
export const LOCAL_TOKEN_TTL = '12h';

const DEV_DEFAULT_SECRET = 'kapstone-local-dev-secret--not-a-real-secret--dev-only';
const MIN_SECRET_LENGTH = 32;

/** The HS256 key of local tokens: LOCAL_JWT_SECRET, else the public dev default. */
export function localSigningKey(env: NodeJS.ProcessEnv = process.env): Uint8Array {
  if (env.AWS_LAMBDA_FUNCTION_NAME) {
    throw new Error('Local tokens are for the local server only; refusing to run inside AWS Lambda');
  }
  const secret = env.LOCAL_JWT_SECRET ?? DEV_DEFAULT_SECRET;
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`LOCAL_JWT_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  return new TextEncoder().encode(secret);
}

export interface LocalTokenRequest {
  role: Role;
  clinicId?: string | undefined;
  clientId?: string | undefined;
  sub?: string | undefined;
  /** Counts as verified, as Cognito's `email_verified` would say after the user confirmed it. */
  email?: string | undefined;
}

export type LocalClaims = JWTPayload & {
  sub: string;
  'cognito:groups': string[];
  'custom:clinicId'?: string;
  'custom:clientId'?: string;
  token_use: 'id';
};

export async function issueLocalToken(req: LocalTokenRequest): Promise<string> {
  const sub = req.sub ?? `dev-${req.role}-${randomUUID().slice(0, 8)}`;
  const claims: Record<string, unknown> = { 'cognito:groups': [req.role], token_use: 'id' };
  if (req.clinicId !== undefined) claims['custom:clinicId'] = req.clinicId;
  if (req.clientId !== undefined) claims['custom:clientId'] = req.clientId;
  if (req.email !== undefined) Object.assign(claims, { email: req.email, email_verified: true });
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(LOCAL_TOKEN_TTL)
    .sign(localSigningKey());
}

/**
 * The token's claims if it is a well-formed local token, signed with the local key, unexpired and
 * for our issuer and audience; otherwise null. A broken secret configuration still throws: that
 * is a setup error, not a bad token.
 */
export async function verifyLocalToken(token: string): Promise<LocalClaims | null> {
  const key = localSigningKey();
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'exp'],
    });
    if (typeof payload.sub !== 'string' || payload.sub === '') return null;
    if (!Array.isArray(payload['cognito:groups'])) return null;
    return payload as LocalClaims;
  } catch (err) {
    if (err instanceof joseErrors.JOSEError || err instanceof TypeError) return null;
    throw err;
  }
}

// Verifies the optional bearer token of a public route on AWS. API Gateway's JWT authorizer runs
// only on closed routes; on public ones (availability) the function checks a token itself, against
// the same Cognito user pool and app client, with aws-jwt-verify (signature by the pool's JWKS,
// issuer, audience, expiry, token use).
//
// aws-jwt-verify is loaded with the first token to verify, not at cold start: most requests never
// carry one (closed routes are verified by API Gateway, public ones are mostly anonymous), and the
// billing function has no public route at all (docs/decisions.md, "Cold start").
import type { TokenVerifier } from '#http/api.ts';
import { onFirstUse } from './on-first-use.ts';

const create = async (userPoolId: string, clientId: string) =>
  (await import('aws-jwt-verify/cognito-verifier')).CognitoJwtVerifier.create({ userPoolId, tokenUse: 'id', clientId });

export function cognitoTokenVerifier(opts: { userPoolId?: string | undefined; clientId?: string | undefined }): TokenVerifier | undefined {
  const { userPoolId, clientId } = opts;
  if (!userPoolId || !clientId) return undefined;
  // One verifier per process (it caches the pool's JWKS). Failing to make one (a malformed pool
  // id) is not a bad token: it is thrown (a logged 500), and the next token tries again.
  const verifier = onFirstUse(() => create(userPoolId, clientId));
  return async (token) => {
    const v = await verifier();
    try {
      return await v.verify(token);
    } catch {
      return null; // expired, badly signed, another pool's or client's: not a valid token
    }
  };
}

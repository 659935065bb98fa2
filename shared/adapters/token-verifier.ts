// Verifies the optional bearer token of a public route on AWS. API Gateway's JWT authorizer runs
// only on closed routes; on public ones (availability) the function checks a token itself, against
// the same Cognito user pool and app client, with aws-jwt-verify (signature by the pool's JWKS,
// issuer, audience, expiry, token use).
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { TokenVerifier } from '#http/api.ts';

export function cognitoTokenVerifier(opts: { userPoolId?: string | undefined; clientId?: string | undefined }): TokenVerifier | undefined {
  if (!opts.userPoolId || !opts.clientId) return undefined;
  const verifier = CognitoJwtVerifier.create({ userPoolId: opts.userPoolId, tokenUse: 'id', clientId: opts.clientId });
  return async (token) => {
    try {
      return await verifier.verify(token);
    } catch {
      return null; // expired, badly signed, another pool's or client's: not a valid token
    }
  };
}

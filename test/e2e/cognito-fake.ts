// A fake Cognito user pool for the browser tests: the app runs with the Cognito provider
// (auth/cognito.ts, amazon-cognito-identity-js) against it, in a real Chromium, with nothing of
// the app replaced. Installed on a page it answers:
//
// - `/config.json`: a config that names a user pool, so main.tsx picks the Cognito provider;
// - the app's HTML: the local server's CSP with the user pool's endpoint added to `connect-src`,
//   as the stack's CSP has it (infra/lib/web.ts) — without it the browser would refuse the calls;
// - `https://cognito-idp.us-east-1.amazonaws.com/`: the JSON 1.1 calls by their `X-Amz-Target`:
//   SignUp, ConfirmSignUp, ResendConfirmationCode, InitiateAuth (USER_SRP_AUTH and
//   REFRESH_TOKEN_AUTH), RespondToAuthChallenge (PASSWORD_VERIFIER) and RevokeToken. The SRP
//   exchange is the real one (RFC 5054 group 3072, the library's own hashing): the fake keeps the
//   password's verifier and checks the client's PASSWORD_CLAIM_SIGNATURE, so a wrong password is
//   refused the way Cognito refuses it (NotAuthorizedException), without the password being sent.
//   Any other call is recorded in `unexpected` and refused;
// - `POST /v1/clients`: passed to the local API; on its 201 the fake sets the user's
//   `custom:clientId`, as the deployed API does (AdminUpdateUserAttributes), so the next refresh
//   carries it.
//
// The ID tokens are the local API's own (`POST /v1/dev/token` with the user's `sub`, e-mail, group
// and clinic or client): the local server accepts them as API Gateway's authorizer accepts
// Cognito's. The access and refresh tokens are opaque to the app and are the fake's own.
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { APIRequestContext, Page, Route } from '@playwright/test';

export const REGION = 'us-east-1';
export const USER_POOL_ID = `${REGION}_TEST123`;
/** An app client id as Cognito makes them: 26 lower-case letters and digits. */
export const USER_POOL_CLIENT_ID = '4kapstonee2efake0000000000';
export const ENDPOINT = `https://cognito-idp.${REGION}.amazonaws.com`;

type Role = 'client' | 'frontdesk' | 'clinician' | 'finance' | 'admin';

export interface FakeUser {
  /** Cognito's username and `sub` (a UUID; the e-mail address is an alias). */
  sub: string;
  email: string;
  /** The password's SRP verifier and salt (what Cognito keeps), never the password. */
  salt: bigint;
  verifier: bigint;
  confirmed: boolean;
  /** The code "e-mailed" last (the test reads it here). */
  code: string;
  role: Role;
  clinicId?: string;
  clientId?: string;
}

interface SrpSession {
  user: FakeUser;
  A: bigint;
  b: bigint;
  B: bigint;
  secretBlock: string;
}

// --- SRP as amazon-cognito-identity-js computes it (AuthenticationHelper.js) -----------------

const N = BigInt(
  '0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
const g = 2n;

/** The unambiguous, even-length hex of a positive integer (a leading 00 when the top bit is set). */
function padHex(n: bigint): string {
  let hex = n.toString(16);
  if (hex.length % 2 !== 0) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}
const sha256Hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const hexHash = (hex: string) => sha256Hex(Buffer.from(hex, 'hex'));
const big = (hex: string) => BigInt(`0x${hex}`);

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = ((base % mod) + mod) % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

const k = big(hexHash(`${padHex(N)}${padHex(g)}`));
const poolName = USER_POOL_ID.split('_')[1]!;

/** x = H(salt | H(poolName | username | ":" | password)), the library's private key. */
const privateKey = (username: string, password: string, salt: bigint) =>
  big(hexHash(padHex(salt) + sha256Hex(`${poolName}${username}:${password}`)));

/** The 16-byte key both sides derive from S and u (HKDF-SHA256, info "Caldera Derived Key"). */
function passwordKey(S: bigint, u: bigint): Buffer {
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex'))
    .update(Buffer.from(padHex(S), 'hex'))
    .digest();
  return createHmac('sha256', prk)
    .update(Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]))
    .digest()
    .subarray(0, 16);
}

/** Cognito's password policy in this stack (infra/lib/auth.ts). */
const PASSWORD_RULE = /^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[^A-Za-z0-9]).{12,}$/;

class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
const mask = (email: string) => {
  const [local = '', domain = ''] = email.split('@');
  return `${local[0] ?? ''}***@${domain[0] ?? ''}***`;
};
const newCode = () => String(100_000 + Math.floor(Math.random() * 900_000));

export class FakeCognito {
  readonly users = new Map<string, FakeUser>();
  /** Every operation called, in order (`SignUp`, `InitiateAuth:USER_SRP_AUTH`, …). */
  readonly calls: string[] = [];
  /** Operations the fake does not know: a test expects none. */
  readonly unexpected: string[] = [];
  /** Refresh tokens revoked by RevokeToken (sign-out). */
  readonly revoked = new Set<string>();
  private readonly sessions = new Map<string, SrpSession>();
  private readonly refreshTokens = new Map<string, FakeUser>();

  constructor(private readonly request: APIRequestContext) {}

  /** How many times the app renewed its tokens with the refresh token. */
  refreshCount(): number {
    return this.calls.filter((c) => c === 'InitiateAuth:REFRESH_TOKEN_AUTH').length;
  }

  /**
   * An account made by an administrator (a staff member), confirmed, with its password; or, with
   * `confirmed: false`, a client's sign-up whose e-mailed code was never entered.
   */
  addUser(email: string, password: string, role: Role, opts: { clinicId?: string; confirmed?: boolean } = {}): FakeUser {
    const user = this.createUser(email, password, role);
    user.confirmed = opts.confirmed ?? true;
    if (opts.clinicId) user.clinicId = opts.clinicId;
    return user;
  }

  /** The last code "e-mailed" to this address. */
  codeFor(email: string): string {
    const user = this.users.get(email.toLowerCase());
    if (!user) throw new Error(`no account for ${email}`);
    return user.code;
  }

  async install(page: Page): Promise<void> {
    // the app's HTML: the stack's CSP allows the user pool's endpoint; the local server's does not
    // name one (it has no user pool), so the fake adds it, as infra/lib/web.ts writes it
    await page.route('**/*', async (route) => {
      if (route.request().resourceType() !== 'document') return route.fallback();
      const response = await route.fetch();
      const headers = response.headers();
      const csp = headers['content-security-policy'];
      if (csp?.includes("connect-src 'self'"))
        headers['content-security-policy'] = csp.replace("connect-src 'self'", `connect-src 'self' ${ENDPOINT}`);
      await route.fulfill({ response, headers });
    });
    await page.route('**/config.json', (route) =>
      route.fulfill({ json: { apiUrl: '', region: REGION, userPoolId: USER_POOL_ID, userPoolClientId: USER_POOL_CLIENT_ID } }),
    );
    await page.route(`${ENDPOINT}/**`, (route) => this.answer(route));
    // the API sets custom:clientId on the user when it creates the client's record
    await page.route('**/v1/clients', async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      const response = await route.fetch();
      if (response.status() === 201) {
        const bearer = (route.request().headers().authorization ?? '').replace(/^Bearer /, '');
        const user = [...this.users.values()].find((u) => u.sub === claimsOf(bearer).sub);
        if (user) user.clientId = ((await response.json()) as { id: string }).id;
      }
      await route.fulfill({ response });
    });
  }

  private createUser(email: string, password: string, role: Role): FakeUser {
    const key = email.toLowerCase();
    if (this.users.has(key)) throw new CognitoError('UsernameExistsException', 'An account with the given email already exists.');
    if (!PASSWORD_RULE.test(password)) throw new CognitoError('InvalidPasswordException', 'Password did not conform with policy');
    const sub = randomUUID();
    const salt = big(randomBytes(16).toString('hex'));
    const user: FakeUser = {
      sub,
      email,
      salt,
      verifier: modPow(g, privateKey(sub, password, salt), N),
      confirmed: false,
      code: newCode(),
      role,
    };
    this.users.set(key, user);
    return user;
  }

  private async answer(route: Route): Promise<void> {
    const req = route.request();
    const origin = req.headers().origin ?? '*';
    const cors = { 'access-control-allow-origin': origin, 'access-control-expose-headers': 'x-amzn-errortype, x-amzn-requestid' };
    const operation = (req.headers()['x-amz-target'] ?? '').replace('AWSCognitoIdentityProviderService.', '');
    try {
      const body = (req.postDataJSON() ?? {}) as Record<string, unknown>;
      if (body.ClientId !== undefined && body.ClientId !== USER_POOL_CLIENT_ID)
        throw new CognitoError('ResourceNotFoundException', 'User pool client does not exist.');
      const result = await this.operation(operation, body);
      await route.fulfill({
        status: 200,
        headers: { ...cors, 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() },
        body: JSON.stringify(result),
      });
    } catch (err) {
      if (!(err instanceof CognitoError)) throw err;
      await route.fulfill({
        status: 400,
        headers: {
          ...cors,
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-errortype': `${err.type}:`,
          'x-amzn-requestid': randomUUID(),
        },
        body: JSON.stringify({ __type: err.type, message: err.message }),
      });
    }
  }

  private async operation(operation: string, body: Record<string, unknown>): Promise<unknown> {
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    const params = (body.AuthParameters ?? body.ChallengeResponses ?? {}) as Record<string, string>;
    switch (operation) {
      case 'SignUp': {
        this.calls.push(operation);
        const user = this.createUser(str(body.Username), str(body.Password), 'client');
        return {
          UserConfirmed: false,
          UserSub: user.sub,
          CodeDeliveryDetails: { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: mask(user.email) },
        };
      }
      case 'ResendConfirmationCode': {
        this.calls.push(operation);
        const user = this.userNamed(str(body.Username));
        user.code = newCode();
        return { CodeDeliveryDetails: { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: mask(user.email) } };
      }
      case 'ConfirmSignUp': {
        this.calls.push(operation);
        const user = this.userNamed(str(body.Username));
        if (str(body.ConfirmationCode) !== user.code)
          throw new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
        user.confirmed = true;
        return {};
      }
      case 'InitiateAuth': {
        this.calls.push(`${operation}:${str(body.AuthFlow)}`);
        if (body.AuthFlow === 'USER_SRP_AUTH') return this.startSrp(params);
        if (body.AuthFlow === 'REFRESH_TOKEN_AUTH') {
          const user = this.refreshTokens.get(params.REFRESH_TOKEN ?? '');
          if (!user || this.revoked.has(params.REFRESH_TOKEN ?? ''))
            throw new CognitoError('NotAuthorizedException', 'Invalid Refresh Token');
          // no new refresh token: Cognito keeps the one given
          return { ChallengeParameters: {}, AuthenticationResult: await this.tokens(user, false) };
        }
        break;
      }
      case 'RespondToAuthChallenge': {
        this.calls.push(`${operation}:${str(body.ChallengeName)}`);
        if (body.ChallengeName === 'PASSWORD_VERIFIER') return this.finishSrp(str(body.Session), params);
        break;
      }
      case 'RevokeToken': {
        this.calls.push(operation);
        this.revoked.add(str(body.Token));
        return {};
      }
    }
    this.unexpected.push(`${operation} ${JSON.stringify(body)}`);
    throw new CognitoError('InvalidParameterException', `The fake does not answer ${operation}`);
  }

  private userNamed(username: string): FakeUser {
    const user = this.users.get(username.toLowerCase()) ?? [...this.users.values()].find((u) => u.sub === username);
    if (!user) throw new CognitoError('UserNotFoundException', 'Username/client id combination not found.');
    return user;
  }

  /** USER_SRP_AUTH: B = kv + g^b, the salt and a secret block; the username becomes the user's sub. */
  private startSrp(params: Record<string, string>): unknown {
    let user: FakeUser;
    try {
      user = this.userNamed(params.USERNAME ?? '');
    } catch {
      throw new CognitoError('NotAuthorizedException', 'Incorrect username or password.');
    }
    const A = big(params.SRP_A ?? '0');
    if (A % N === 0n) throw new CognitoError('InvalidParameterException', 'SRP_A is not valid');
    const b = big(randomBytes(128).toString('hex'));
    const B = (k * user.verifier + modPow(g, b, N)) % N;
    const session = randomBytes(48).toString('base64url');
    const secretBlock = randomBytes(64).toString('base64');
    this.sessions.set(session, { user, A, b, B, secretBlock });
    return {
      ChallengeName: 'PASSWORD_VERIFIER',
      Session: session,
      ChallengeParameters: {
        SALT: user.salt.toString(16),
        SECRET_BLOCK: secretBlock,
        SRP_B: B.toString(16),
        USERNAME: user.sub,
        USER_ID_FOR_SRP: user.sub,
      },
    };
  }

  /** PASSWORD_VERIFIER: the signature the client made with K = H(S) proves it knew the password. */
  private async finishSrp(sessionId: string, params: Record<string, string>): Promise<unknown> {
    const s = this.sessions.get(sessionId);
    this.sessions.delete(sessionId);
    if (!s || params.PASSWORD_CLAIM_SECRET_BLOCK !== s.secretBlock)
      throw new CognitoError('NotAuthorizedException', 'Invalid session for the user, session is expired.');
    const u = big(hexHash(padHex(s.A) + padHex(s.B)));
    const S = modPow(s.A * modPow(s.user.verifier, u, N), s.b, N);
    const expected = createHmac('sha256', passwordKey(S, u))
      .update(
        Buffer.concat([
          Buffer.from(poolName, 'utf8'),
          Buffer.from(s.user.sub, 'utf8'),
          Buffer.from(s.secretBlock, 'base64'),
          Buffer.from(params.TIMESTAMP ?? '', 'utf8'),
        ]),
      )
      .digest('base64');
    if (params.PASSWORD_CLAIM_SIGNATURE !== expected) throw new CognitoError('NotAuthorizedException', 'Incorrect username or password.');
    if (!s.user.confirmed) throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
    return { ChallengeParameters: {}, AuthenticationResult: await this.tokens(s.user, true) };
  }

  /** An ID token the local API accepts (its dev token endpoint), an access token, a refresh token. */
  private async tokens(user: FakeUser, withRefresh: boolean) {
    const res = await this.request.post('/v1/dev/token', {
      data: {
        role: user.role,
        sub: user.sub,
        ...(user.role === 'client' ? { email: user.email } : {}),
        ...(user.clinicId ? { clinicId: user.clinicId } : {}),
        ...(user.clientId ? { clientId: user.clientId } : {}),
      },
    });
    if (!res.ok()) throw new Error(`POST /v1/dev/token answered ${res.status()}: ${await res.text()}`);
    const { token } = (await res.json()) as { token: string };
    const now = Math.floor(Date.now() / 1000);
    // origin_jti: the app client has token revocation on, so the library revokes at sign-out
    const access = `${b64url({ kid: 'fake', alg: 'RS256' })}.${b64url({
      sub: user.sub,
      'cognito:groups': [user.role],
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      client_id: USER_POOL_CLIENT_ID,
      username: user.sub,
      origin_jti: randomUUID(),
      jti: randomUUID(),
      iat: now,
      exp: now + 3600,
    })}.${randomBytes(32).toString('base64url')}`;
    const result: Record<string, unknown> = { AccessToken: access, ExpiresIn: 3600, IdToken: token, TokenType: 'Bearer' };
    if (withRefresh) {
      const refresh = randomBytes(96).toString('base64url');
      this.refreshTokens.set(refresh, user);
      result.RefreshToken = refresh;
    }
    return result;
  }
}

// Sign-up tells the user directory (Cognito on AWS) the new record: POST /v1/clients by a
// signed-in user without a record calls `linkClient(sub, clientId)` once, after the record and its
// `USER#<sub>` link are committed; staff creating records, and refused sign-ups, call nothing. A
// directory that fails does not fail the sign-up: the committed link already lets the user act as
// its client (docs/decisions.md, "Sign-up links the Cognito user").
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { fixedClock } from '#adapters/clock.ts';
import { UserDirectoryError, type UserDirectory } from '#adapters/user-directory.ts';
import { keys } from '#db/keys.ts';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createSchedulingHandler } from '#functions/scheduling/app.ts';
import { seedDemoData } from '#infra/local/seed.ts';
import { DEFAULT_NOW, admin, frontdesk, type As, type Reply } from '#test/helpers/api.ts';
import { apiEvent, type EventOptions } from '#test/helpers/events.ts';
import { createTestTable, type TestTable } from '#test/helpers/db.ts';

let table: TestTable;
let call: (method: string, path: string, o?: EventOptions) => Promise<Reply>;
const linkClient = vi.fn<UserDirectory['linkClient']>();
const logger = new Logger({ serviceName: 'test', logLevel: 'CRITICAL' });
const warn = vi.spyOn(logger, 'warn');

beforeAll(async () => {
  table = await createTestTable();
  const deps = { doc: table.doc, tableName: table.tableName, clock: fixedClock(DEFAULT_NOW) };
  await seedDemoData(deps);
  const handler = createSchedulingHandler({ ...deps, logger, users: { linkClient } });
  call = async (method, path, o = {}) => {
    const built = apiEvent(method, path, o)!;
    const res = await handler(built.event, {} as Context);
    const text = typeof res.body === 'string' ? res.body : '';
    return {
      status: res.statusCode ?? 0,
      body: text === '' ? undefined : JSON.parse(text),
      headers: (res.headers ?? {}) as Record<string, string>,
    };
  };
});
afterAll(async () => table.drop());
beforeEach(() => {
  linkClient.mockReset();
  linkClient.mockResolvedValue(undefined);
  warn.mockClear();
});

let n = 0;
/** A Cognito user with a verified address and no record yet. */
function newUser(): As & { sub: string; email: string } {
  n += 1;
  return { role: 'client', sub: `cognito-user-${n}`, email: `user.${n}@example.com` };
}
const body = (email: string) => ({
  clinicId: 'demo-nyc',
  firstName: 'Rowan',
  lastName: 'Ellery',
  email,
  phone: '+12125550123',
  dateOfBirth: '1988-06-30',
  smsConsent: true,
});
const linkOf = async (sub: string) =>
  (await table.doc.send(new GetCommand({ TableName: table.tableName, Key: keys.userClient(sub), ConsistentRead: true }))).Item;

describe('POST /v1/clients by a signed-in user without a record', () => {
  it('links the user to its new record once, after the record and its link are committed', async () => {
    const user = newUser();
    linkClient.mockImplementation(async (sub, clientId) => {
      // committed before the directory is told
      expect(await linkOf(sub)).toMatchObject({ clientId });
    });
    const res = await call('POST', '/v1/clients', { as: user, body: body(user.email) });
    expect(res.status).toBe(201);
    expect(linkClient).toHaveBeenCalledTimes(1);
    expect(linkClient).toHaveBeenCalledWith(user.sub, res.body.id);
    expect(warn).not.toHaveBeenCalled();
  });

  it('links nobody when the sign-up is refused, and nobody again on a second sign-up of the same user', async () => {
    const user = newUser();
    expect((await call('POST', '/v1/clients', { as: user, body: body('someone.else@example.com') })).status).toBe(400);
    expect((await call('POST', '/v1/clients', { as: { ...user, email: undefined }, body: body(user.email) })).status).toBe(400);
    expect(linkClient).not.toHaveBeenCalled();

    expect((await call('POST', '/v1/clients', { as: user, body: body(user.email) })).status).toBe(201);
    // the same token again: the router finds its record, so it is a client now, not signing up
    expect((await call('POST', '/v1/clients', { as: user, body: body(user.email) })).status).toBe(403);
    expect(linkClient).toHaveBeenCalledTimes(1);
  });

  it('still answers 201 when the directory fails: the committed link lets the same token act as the client, and the failure is logged with ids only', async () => {
    const user = newUser();
    linkClient.mockRejectedValue(new UserDirectoryError('Cognito did not set the client id on the user', 'TooManyRequestsException'));
    const res = await call('POST', '/v1/clients', { as: user, body: body(user.email) });
    expect(res.status).toBe(201);
    const clientId: string = res.body.id;
    expect(await linkOf(user.sub)).toMatchObject({ clientId });

    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith('client id not set on the user', {
      metric: 'UserLinkFailed',
      clientId,
      sub: user.sub,
      code: 'TooManyRequestsException',
    });
    expect(JSON.stringify(warn.mock.calls)).not.toMatch(/Rowan|Ellery|example\.com|\+1212/);

    // the token without custom:clientId (Cognito never set it) acts as the client all the same
    const own = await call('GET', `/v1/clients/${clientId}`, { as: user });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: clientId });
  });
});

describe('POST /v1/clients by staff', () => {
  it.each([
    ['front desk of the clinic', frontdesk('demo-nyc')],
    ['admin', admin],
  ])('does not touch the directory (%s)', async (_who, as) => {
    const res = await call('POST', '/v1/clients', { as, body: body('staff.made@example.com') });
    expect(res.status).toBe(201);
    expect(linkClient).not.toHaveBeenCalled();
  });
});

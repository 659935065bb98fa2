// Booking requests for the DynamoDB cases and the raw transaction they are compared with.
//
// Every booking is an in-person preparation session on the demo New York clinic, for a fresh
// client, at a time nobody holds: the clinic has one therapy room, so each request gets its own
// hour (weekdays 09:00–18:00, the two therapists taking turns), and every one must answer 201.
//
// The raw case replays the TransactWriteItems a booking sent (captured during warm-up through the
// wrapped document client) with the appointment, client, provider and room ids swapped for fresh
// ones of the same length: the same item count, the same item sizes, the same conditions, but
// keys nobody holds, so it always succeeds. It writes against a real client profile (created
// like the booking clients) so that the client update's condition holds. The booking is self-pay,
// so its transaction carries its invoice (the invoice Put and the clinic's invoice-counter Update):
// the raw case puts the invoice under a fresh id of the same length and moves a counter of its own
// (a stand-in clinic id of the same length), one number per raw write, on the same kind of
// condition, so that it too always succeeds.
import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { newId } from '#adapters/ids.ts';
import type { As, BenchApi } from './harness.ts';

export const CLINIC = 'demo-nyc';
export const ZONE = 'America/New_York';
export const FRONTDESK: As = { role: 'frontdesk', clinicId: CLINIC, sub: 'fd-demo-nyc' };
const THER_1 = 'demo-nyc-ther-1'; // weekdays 09:00–17:00
const THER_2 = 'demo-nyc-ther-2'; // weekdays 10:00–18:00

export interface BookingSlot {
  providerId: string;
  startsAt: string; // ISO with offset
}

/** Distinct free hours from Monday 4 January 2027 on, for the single therapy room. */
export function bookingSlots(count: number): BookingSlot[] {
  const out: BookingSlot[] = [];
  for (let day = DateTime.fromISO('2027-01-04', { zone: ZONE }); out.length < count; day = day.plus({ days: 1 })) {
    if (day.weekday > 5) continue;
    for (let hour = 9; hour <= 17 && out.length < count; hour++) {
      const providerId = hour === 9 ? THER_1 : hour === 17 ? THER_2 : out.length % 2 === 0 ? THER_1 : THER_2;
      const startsAt = day.set({ hour, minute: 0, second: 0, millisecond: 0 }).toISO({ suppressMilliseconds: true });
      if (!startsAt) throw new Error('bad slot time');
      out.push({ providerId, startsAt });
    }
  }
  return out;
}

/**
 * `count` fresh clients of the clinic. The first is signed up through the API (public route);
 * the others are copies of its partition (the profile, with `scheduleVersion` 0) under new ids,
 * written with BatchWriteItem: signing up hundreds of clients one by one would take most of the
 * time budget on DynamoDB Local. Only the e-mail claim item is left out; bookings never read it.
 */
export async function createClients(api: BenchApi, count: number, tag: string): Promise<string[]> {
  const first = await signUp(api, tag, 0);
  const res = await api.doc.send(
    new QueryCommand({
      TableName: api.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': `CLIENT#${first}` },
      ConsistentRead: true,
    }),
  );
  const items = res.Items ?? [];
  if (items.length === 0) throw new Error(`signed-up client ${first} has no items under CLIENT#${first}`);
  const ids = [first];
  const puts: Array<Record<string, unknown>> = [];
  for (let i = 1; i < count; i++) {
    const id = newId('cli');
    ids.push(id);
    for (const item of items) {
      const copy = replaceStrings(item, [[first, id]]) as Record<string, unknown>;
      if (copy.type === 'client') {
        copy.lastName = `${tag}${i}`;
        copy.email = `bench.${tag}.${i}@example.com`;
      }
      puts.push(copy);
    }
  }
  for (let i = 0; i < puts.length; i += 25) {
    let request: Record<string, Array<{ PutRequest: { Item: Record<string, unknown> } }>> | undefined = {
      [api.tableName]: puts.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
    };
    while (request && Object.keys(request).length > 0) {
      const out = await api.doc.send(new BatchWriteCommand({ RequestItems: request }));
      request = out.UnprocessedItems as typeof request;
    }
  }
  return ids;
}

async function signUp(api: BenchApi, tag: string, i: number): Promise<string> {
  const res = await api.call('POST', '/v1/clients', {
    as: { role: 'frontdesk', clinicId: CLINIC, sub: 'bench-frontdesk' },
    body: {
      clinicId: CLINIC,
      firstName: 'Bench',
      lastName: `${tag}${i}`,
      email: `bench.${tag}.${i}@example.com`,
      phone: '+12125550123',
      dateOfBirth: '1985-04-12',
      smsConsent: true,
    },
  });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

export function bookingBody(clientId: string, slot: BookingSlot) {
  return { clientId, clinicId: CLINIC, service: 'preparation', providerId: slot.providerId, startsAt: slot.startsAt, mode: 'in_person' };
}

/** What a captured booking transaction is about: the ids to swap when replaying it. */
export interface TransactionTemplate {
  input: { TransactItems: unknown[]; ClientRequestToken?: string; [k: string]: unknown };
  appointmentId: string;
  clientId: string;
  providerId: string;
  roomId: string | null;
  /** The booking's invoice (self-pay), null for a booking against a package. */
  invoiceId: string | null;
}

function replaceStrings(value: unknown, pairs: Array<[string, string]>): unknown {
  if (typeof value === 'string') {
    let s = value;
    for (const [from, to] of pairs) if (s.includes(from)) s = s.split(from).join(to);
    return s;
  }
  if (Array.isArray(value)) return value.map((v) => replaceStrings(v, pairs));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[replaceStrings(k, pairs) as string] = replaceStrings(v, pairs);
    return out;
  }
  return value;
}

/** A token exactly `length` characters long, unique per (tag, i). */
function sameLength(tag: string, i: number, length: number): string {
  const base = `${tag}${i.toString(36)}-`;
  if (base.length > length) throw new Error(`cannot make a ${length}-character stand-in for ${tag}${i}`);
  return base.padEnd(length, 'x');
}

interface CounterUpdate {
  Key: { PK: string; SK: string };
  ConditionExpression: string;
  ExpressionAttributeValues: Record<string, unknown>;
}

/**
 * The template's transaction for raw write number `i` (0, 1, 2… in the order they are sent) on
 * `clientId`: fresh appointment and invoice ids, the given client, stand-in provider and room ids,
 * all of the original lengths; the invoice counter is the raw case's own, and write `i` takes its
 * number i + 1 as a booking would (`next = i + 1`, or no counter yet for 1).
 */
export function rawTransaction(t: TransactionTemplate, i: number, clientId: string): TransactionTemplate['input'] {
  const appointmentId = newId('apt');
  if (appointmentId.length !== t.appointmentId.length) throw new Error('appointment ids differ in length');
  if (clientId.length !== t.clientId.length) throw new Error('client ids differ in length');
  const pairs: Array<[string, string]> = [
    [t.appointmentId, appointmentId],
    [t.clientId, clientId],
    [t.providerId, sameLength('rawp', i, t.providerId.length)],
  ];
  if (t.roomId) pairs.push([t.roomId, sameLength('rawr', i, t.roomId.length)]);
  if (t.invoiceId) {
    const invoiceId = newId('inv');
    if (invoiceId.length !== t.invoiceId.length) throw new Error('invoice ids differ in length');
    pairs.push([t.invoiceId, invoiceId]);
  }
  pairs.sort((a, b) => b[0].length - a[0].length);
  const input = replaceStrings(t.input, pairs) as TransactionTemplate['input'];
  if (input.ClientRequestToken !== undefined) input.ClientRequestToken = randomUUID().slice(0, input.ClientRequestToken.length);
  const counters = input.TransactItems.map((item) => (item as { Update?: CounterUpdate }).Update).filter(
    (u): u is CounterUpdate => u?.Key.SK === 'INVOICE_COUNTER',
  );
  if (t.invoiceId && counters.length !== 1) throw new Error(`a self-pay booking has one invoice counter update, not ${counters.length}`);
  for (const counter of counters) {
    const clinicId = counter.Key.PK.slice('CLINIC#'.length);
    counter.Key = { PK: `CLINIC#${sameLength('rawc', 0, clinicId.length)}`, SK: 'INVOICE_COUNTER' };
    const n = i + 1;
    const { ':expected': _expected, ...values } = counter.ExpressionAttributeValues;
    counter.ConditionExpression = n === 1 ? 'attribute_not_exists(#next)' : '#next = :expected';
    counter.ExpressionAttributeValues = { ...values, ':after': n + 1, ...(n === 1 ? {} : { ':expected': n }) };
  }
  return input;
}

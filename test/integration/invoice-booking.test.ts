// Self-pay invoices at booking, on DynamoDB Local (docs/domain.md, "Self-pay invoices"): a booking
// without packageId puts its invoice in its own transaction and answers its invoiceId; a package
// booking has none; a clinic's numbers run 1, 2, 3… with no gap and no repeat, however many
// bookings race, and a refused booking consumes none. Cancelling, a no-show and a move change the
// invoice in the appointment change's own transaction; the schedule's 'unpaid' reads the invoice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#db/client.ts';
import { InvoiceRepository, type StoredInvoice } from '#db/invoice-repo.ts';
import { applyPayment, totals } from '#domain/invoices.ts';
import { createSchedulingHandler } from '#functions/scheduling/app.ts';
import { apiEvent } from '#test/helpers/events.ts';
import { DEFAULT_NOW, admin, asClient, createTestApi, frontdesk, signUp, type Reply, type TestApi } from '#test/helpers/api.ts';

const NYC = 'demo-nyc';
const NYC_THER2 = 'demo-nyc-ther-2';

let api: TestApi;
let invoices: InvoiceRepository;

beforeAll(async () => {
  api = await createTestApi({ payments: true });
  invoices = new InvoiceRepository(api.table.doc, api.table.tableName);
});
afterAll(async () => api?.close());

type Item = Record<string, unknown>;

/** A command's input as the document client was given it, whether or not it is marshalled yet. */
function plain(input: unknown): unknown {
  if (Array.isArray(input)) return input.map(plain);
  if (input === null || typeof input !== 'object') return input;
  const o = input as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && ['S', 'N', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS'].includes(keys[0]!)) {
    const v = o[keys[0]!];
    switch (keys[0]) {
      case 'S':
        return v;
      case 'N':
        return Number(v);
      case 'NULL':
        return null;
      case 'BOOL':
        return v;
      case 'L':
        return (v as unknown[]).map(plain);
      case 'M':
        return plain(v);
      default:
        return v;
    }
  }
  return Object.fromEntries(keys.map((k) => [k, plain(o[k])]));
}

interface TestClinic {
  id: string;
  therapists: string[];
  /** The catalog price of each service (minor units). */
  prices: Record<string, number>;
}

let clinicSeq = 0;

/**
 * A clinic of its own (its numbers start at 1), in Los Angeles so that a late-afternoon session
 * falls on the next UTC day: `therapists` therapists doing video, weekdays 09:00–17:00, and a
 * therapy room.
 */
async function newClinic(therapists = 1): Promise<TestClinic> {
  const created = await api.call('POST', '/v1/clinics', {
    as: admin,
    body: { name: `Invoice clinic ${++clinicSeq}`, timezone: 'America/Los_Angeles', currency: 'USD', country: 'US' },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const room = await api.call('POST', `/v1/clinics/${id}/rooms`, { as: admin, body: { name: 'Therapy room', kind: 'therapy' } });
  expect(room.status).toBe(201);
  const ids: string[] = [];
  for (let i = 0; i < therapists; i++) {
    const res = await api.call('POST', `/v1/clinics/${id}/providers`, {
      as: admin,
      body: {
        name: `Therapist ${i}`,
        role: 'therapist',
        credentials: 'LCSW',
        telehealth: true,
        weeklyHours: (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, start: '09:00', end: '17:00' })),
      },
    });
    expect(res.status).toBe(201);
    ids.push(res.body.id as string);
  }
  const services = await api.call('GET', `/v1/clinics/${id}/services`);
  const prices = Object.fromEntries(
    (services.body as Array<{ code: string; price: { amount: number } }>).map((s) => [s.code, s.price.amount]),
  );
  return { id, therapists: ids, prices };
}

const clientsOf = (clinicId: string, n: number) => Promise.all(Array.from({ length: n }, () => signUp(api, { clinicId })));

function book(clinic: TestClinic | string, body: Record<string, unknown>, as = frontdesk(typeof clinic === 'string' ? clinic : clinic.id)) {
  const clinicId = typeof clinic === 'string' ? clinic : clinic.id;
  const providerId = typeof clinic === 'string' ? NYC_THER2 : clinic.therapists[0];
  return api.call('POST', '/v1/appointments', {
    as,
    body: { clinicId, providerId, service: 'preparation', mode: 'telehealth', ...body },
  });
}

async function items(): Promise<Item[]> {
  return api.items();
}

const invoiceItems = async (clinicId: string) => (await items()).filter((i) => i.type === 'invoice' && i.clinicId === clinicId);
const numbersOf = (list: Item[] | StoredInvoice[]) => list.map((i) => Number(i.number)).sort((a, b) => a - b);
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** Weekday starts in Los Angeles from Monday 7 December 2026, on the hour, 09:00–16:00. */
function slots(n: number): string[] {
  const out: string[] = [];
  for (let day = 7; out.length < n; day++) {
    const date = new Date(Date.UTC(2026, 11, day));
    if (date.getUTCDay() === 0 || date.getUTCDay() === 6) continue;
    for (let hour = 9; hour <= 16 && out.length < n; hour++) {
      out.push(`2026-12-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00-08:00`);
    }
  }
  return out;
}

describe('a self-pay booking', () => {
  it('answers its invoiceId; the invoice has one line at the catalog price; numbers 1, 2, 3 for successive bookings', async () => {
    const clinic = await newClinic();
    const [a, b] = (await clientsOf(clinic.id, 2)) as [string, string];

    // in person, 16:00 in Los Angeles: 00:00 UTC the next day; the service date is the clinic's
    const first = await book(clinic, { clientId: a, mode: 'in_person', startsAt: '2026-12-07T16:00:00-08:00' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.invoiceId).toEqual(expect.stringMatching(/^inv_/));
    expect(first.body.packageId).toBeNull();

    const invoice = await invoices.require(first.body.invoiceId);
    expect(invoice).toEqual({
      id: first.body.invoiceId,
      number: '1',
      clinicId: clinic.id,
      clientId: a,
      currency: 'USD',
      appointmentId: first.body.id,
      lines: [
        {
          id: `session:${first.body.id}`,
          description: 'Preparation session',
          service: 'preparation',
          serviceDate: '2026-12-07',
          appointmentId: first.body.id,
          cptCode: '90837',
          modifiers: [],
          placeOfService: '11',
          units: 1,
          amount: clinic.prices.preparation,
          billable: true,
          voided: false,
          issuedAt: invoice.createdAt,
        },
      ],
      payments: [],
      refunds: [],
      createdAt: invoice.createdAt,
      version: 1,
    });
    expect(clinic.prices.preparation).toBe(17_500);

    // telehealth: place of service 10 and modifier 95; another service, its own price and code
    const second = await book(clinic, { clientId: b, mode: 'telehealth', startsAt: '2026-12-08T10:00:00-08:00' });
    const third = await book(clinic, { clientId: a, service: 'intake', mode: 'telehealth', startsAt: '2026-12-09T10:00:00-08:00' });
    expect([second.status, third.status]).toEqual([201, 201]);
    const [i2, i3] = await Promise.all([invoices.require(second.body.invoiceId), invoices.require(third.body.invoiceId)]);
    expect(i2).toMatchObject({ number: '2', clientId: b, appointmentId: second.body.id });
    expect(i2.lines).toEqual([
      expect.objectContaining({
        service: 'preparation',
        placeOfService: '10',
        modifiers: ['95'],
        serviceDate: '2026-12-08',
        amount: 17_500,
      }),
    ]);
    expect(i3).toMatchObject({ number: '3', clientId: a, appointmentId: third.body.id });
    expect(i3.lines).toEqual([
      expect.objectContaining({
        service: 'intake',
        cptCode: '90791',
        placeOfService: '10',
        modifiers: ['95'],
        amount: clinic.prices.intake,
      }),
    ]);
    expect(await invoices.nextNumber(clinic.id)).toBe(4);

    // the appointment keeps it: read back, and the client's copy (the client's own list)
    const read = await api.call('GET', `/v1/appointments/${first.body.id}`, { as: frontdesk(clinic.id) });
    expect(read.body.invoiceId).toBe(first.body.invoiceId);
    const mine = await api.call('GET', `/v1/clients/${a}/appointments`, { as: asClient(a) });
    expect(Object.fromEntries((mine.body as Array<{ id: string; invoiceId: string }>).map((x) => [x.id, x.invoiceId]))).toEqual({
      [first.body.id]: first.body.invoiceId,
      [third.body.id]: third.body.invoiceId,
    });
    const copies = (await items()).filter((i) => i.type === 'client_appointment' && i.clientId === a);
    expect(copies.map((c) => c.invoiceId).sort()).toEqual([first.body.invoiceId, third.body.invoiceId].sort());
  });

  it('each clinic numbers on its own, in its own currency', async () => {
    const tor = await signUp(api, { clinicId: 'demo-tor' });
    const res = await api.call('POST', '/v1/appointments', {
      as: frontdesk('demo-tor'),
      body: {
        clinicId: 'demo-tor',
        clientId: tor,
        providerId: 'demo-tor-ther-1',
        service: 'preparation',
        mode: 'telehealth',
        startsAt: '2026-12-08T10:00:00-05:00',
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const invoice = await invoices.require(res.body.invoiceId);
    expect(invoice).toMatchObject({ number: '1', clinicId: 'demo-tor', currency: 'CAD' });
    expect(invoice.lines.map((l) => l.amount)).toEqual([17_500]);
  });
});

describe('a package booking', () => {
  it('has no invoice of its own and takes no number', async () => {
    const clientId = await signUp(api);
    const programs = await api.call('GET', `/v1/clinics/${NYC}/programs`);
    const bought = await api.call('POST', '/v1/packages', {
      as: frontdesk(NYC),
      body: { clientId, programId: programs.body[0].id, payment: 'pay_in_full' },
    });
    expect(bought.status).toBe(201);
    await api.deliver(api.payments!.stub!.completeCheckout(bought.body.checkoutSessionId, 'paid'));
    const before = await invoices.nextNumber(NYC);
    const invoicesBefore = await invoiceItems(NYC);

    const res = await book(NYC, { clientId, packageId: bought.body.package.id, startsAt: '2026-12-10T11:00:00-05:00' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.packageId).toBe(bought.body.package.id);
    expect(res.body.invoiceId).toBeNull();
    const stored = (await items()).find((i) => i.type === 'appointment' && i.id === res.body.id);
    expect(stored).toBeDefined();
    expect(stored).not.toHaveProperty('invoiceId');
    expect(await invoices.nextNumber(NYC)).toBe(before);
    expect(await invoiceItems(NYC)).toEqual(invoicesBefore);
  });
});

describe('invoice numbers under concurrency', () => {
  it('30 parallel self-pay bookings of distinct free slots take the numbers 1..30, each once', async () => {
    const clinic = await newClinic(2);
    const people = await clientsOf(clinic.id, 30);
    const starts = slots(15);
    // as a caller does: a 503 (the numbering still contended after its retries, which a loaded
    // machine can cause) is sent again with its Idempotency-Key after Retry-After; the numbers
    // must still be 1..30, each once, whatever was retried
    const bookUntilAnswered = async (clientId: string, i: number) => {
      const body = { clinicId: clinic.id, providerId: clinic.therapists[i % 2], service: 'preparation', mode: 'telehealth', clientId };
      const send = () =>
        api.call('POST', '/v1/appointments', {
          as: frontdesk(clinic.id),
          headers: { 'idempotency-key': `race-${clientId}` },
          body: { ...body, startsAt: starts[Math.floor(i / 2)] },
        });
      let reply = await send();
      for (let attempt = 0; attempt < 3 && reply.status === 503; attempt++) {
        await new Promise((done) => setTimeout(done, 1000 * Math.min(5, Number(reply.headers['retry-after'] ?? 1))));
        reply = await send();
      }
      return reply;
    };
    const replies = await Promise.all(people.map(bookUntilAnswered));
    expect(replies.filter((r) => r.status !== 201).map((r) => [r.status, r.body])).toEqual([]);
    const stored = await Promise.all(replies.map((r) => invoices.require(r.body.invoiceId)));
    expect(numbersOf(stored)).toEqual(oneTo(30));
    // each invoice bills its own booking
    expect(stored.map((inv) => inv.appointmentId)).toEqual(replies.map((r) => r.body.id));
    expect(numbersOf(await invoiceItems(clinic.id))).toEqual(oneTo(30));
    expect(await invoices.nextNumber(clinic.id)).toBe(31);
  }, 60_000);

  it('bookings racing for one slot: exactly one 201 and exactly one number consumed', async () => {
    const clinic = await newClinic();
    const warm = await clientsOf(clinic.id, 1);
    // one booking first, so that the racers' number comes from memory as well as from a read
    expect((await book(clinic, { clientId: warm[0], startsAt: '2026-12-07T09:00:00-08:00' })).status).toBe(201);
    const people = await clientsOf(clinic.id, 12);
    const replies = await Promise.all(people.map((clientId) => book(clinic, { clientId, startsAt: '2026-12-08T11:00:00-08:00' })));
    const created = replies.filter((r) => r.status === 201);
    const refused = replies.filter((r) => r.status === 409 && r.body.error.code === 'slot_unavailable');
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(11);
    const all = await invoiceItems(clinic.id);
    expect(numbersOf(all)).toEqual([1, 2]);
    expect(all.find((i) => i.number === '2')).toMatchObject({ id: created[0]!.body.invoiceId, appointmentId: created[0]!.body.id });
    expect(await invoices.nextNumber(clinic.id)).toBe(3);
  });
});

describe('a refused booking consumes no number', () => {
  it('refused by a rule (minimum notice for a client, outside hours for anyone): the next booking takes the next number', async () => {
    const clinic = await newClinic();
    const [a] = await clientsOf(clinic.id, 1);
    const ok = await book(clinic, { clientId: a, startsAt: '2026-12-07T10:00:00-08:00' });
    expect(ok.status).toBe(201);
    // now is 2026-12-01 04:00 in Los Angeles: 10:00 the same day is inside the 24 h notice
    const notice = await book(clinic, { clientId: a, startsAt: '2026-12-01T10:00:00-08:00' }, asClient(a!));
    expect([notice.status, notice.body.error?.rule]).toEqual([422, 'minimum_notice']);
    const hours = await book(clinic, { clientId: a, startsAt: '2026-12-08T18:00:00-08:00' });
    expect([hours.status, hours.body.error?.rule]).toEqual([422, 'outside_hours']);
    expect(await invoices.nextNumber(clinic.id)).toBe(2);
    expect(numbersOf(await invoiceItems(clinic.id))).toEqual([1]);

    const next = await book(clinic, { clientId: a, startsAt: '2026-12-09T10:00:00-08:00' }, asClient(a!));
    expect(next.status).toBe(201);
    expect((await invoices.require(next.body.invoiceId)).number).toBe('2');
  });

  it('the invoice is in the booking transaction: a transaction refused for a taken slot leaves no invoice and no number', async () => {
    const clinic = await newClinic();
    const [a, b] = await clientsOf(clinic.id, 2);
    const taken = await book(clinic, { clientId: a, startsAt: '2026-12-07T10:00:00-08:00' });
    expect(taken.status).toBe(201);

    // watch the transactions the function sends
    const sent: Array<{ TransactItems: Item[] }> = [];
    const watch = 'invoiceBookingWatch';
    api.table.doc.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand') sent.push(plain(args.input) as { TransactItems: Item[] });
        return next(args);
      },
      { step: 'initialize', name: watch },
    );
    let refused: Reply;
    try {
      refused = await book(clinic, { clientId: b, startsAt: '2026-12-07T10:00:00-08:00' });
    } finally {
      api.table.doc.middlewareStack.remove(watch);
    }
    expect([refused.status, refused.body.error.code]).toEqual([409, 'slot_unavailable']);
    // the refused transaction carried the appointment AND its invoice with the counter
    expect(sent.length).toBeGreaterThan(0);
    for (const tx of sent) {
      const puts = tx.TransactItems.map((t) => (t.Put as { Item: Item } | undefined)?.Item).filter((i): i is Item => !!i);
      const updates = tx.TransactItems.map((t) => (t.Update as { Key: Item } | undefined)?.Key).filter((k): k is Item => !!k);
      expect(puts.filter((i) => i.type === 'appointment' && i.clientId === b)).toHaveLength(1);
      expect(puts.filter((i) => i.type === 'invoice' && i.clientId === b && i.number === '2')).toHaveLength(1);
      expect(updates).toContainEqual({ PK: `CLINIC#${clinic.id}`, SK: 'INVOICE_COUNTER' });
    }
    // and none of it is there
    const all = await items();
    expect(all.filter((i) => i.clientId === b && ['invoice', 'appointment', 'client_appointment'].includes(String(i.type)))).toEqual([]);
    expect(await invoices.nextNumber(clinic.id)).toBe(2);
    expect(numbersOf(await invoiceItems(clinic.id))).toEqual([1]);
  });
});

describe('the next number kept in memory', () => {
  /** Another warm instance of the scheduling function on the same table, with its calls recorded. */
  function instance(): {
    call: (body: Record<string, unknown>, clinicId: string) => Promise<Reply>;
    commands: string[];
    doc: DynamoDBDocumentClient;
  } {
    const doc = createDocumentClient({ region: 'local', endpoint: api.table.endpoint });
    const commands: string[] = [];
    doc.middlewareStack.add(
      (next, context) => async (args) => {
        const counter = context.commandName === 'GetItemCommand' && JSON.stringify(args.input).includes('INVOICE_COUNTER');
        commands.push(`${context.commandName ?? '?'}${counter ? ' counter' : ''}`);
        return next(args);
      },
      { step: 'initialize', name: 'recordCalls' },
    );
    const handler = createSchedulingHandler({
      doc,
      tableName: api.table.tableName,
      clock: api.clock,
      logger: new Logger({ serviceName: 'test', logLevel: 'CRITICAL' }),
    });
    const call = async (body: Record<string, unknown>, clinicId: string): Promise<Reply> => {
      const built = apiEvent('POST', '/v1/appointments', { as: frontdesk(clinicId), body });
      const res = await handler(built!.event, {} as Context);
      return { status: res.statusCode ?? 0, body: JSON.parse(String(res.body)), headers: {} };
    };
    return { call, commands, doc };
  }

  it('a warm booking reads no counter; a number taken elsewhere fails the condition, is re-read and the booking retried', async () => {
    const clinic = await newClinic();
    const [a] = await clientsOf(clinic.id, 1);
    const x = instance();
    try {
      const body = (startsAt: string) => ({
        clinicId: clinic.id,
        clientId: a,
        providerId: clinic.therapists[0],
        service: 'preparation',
        mode: 'telehealth',
        startsAt,
      });

      // cold: the setup and the counter read together, then the write; a video session's answer
      // then reads its practitioner's video room link (docs/decisions.md §30: read fresh)
      let res = await x.call(body('2026-12-07T10:00:00-08:00'), clinic.id);
      expect(res.status).toBe(201);
      expect(x.commands.sort()).toEqual(['GetItemCommand counter', 'QueryCommand', 'TransactWriteItemsCommand', 'GetItemCommand'].sort());

      // warm: the write alone, with the number it remembered (then the link for the answer)
      x.commands.length = 0;
      res = await x.call(body('2026-12-07T11:00:00-08:00'), clinic.id);
      expect(res.status).toBe(201);
      expect(x.commands).toEqual(['TransactWriteItemsCommand', 'GetItemCommand']);
      expect((await invoices.require(res.body.invoiceId)).number).toBe('2');

      // another instance takes number 3
      const other = await book(clinic, { clientId: a, startsAt: '2026-12-07T12:00:00-08:00' });
      expect((await invoices.require(other.body.invoiceId)).number).toBe('3');

      // x still guesses 3: refused on the counter alone, re-reads it (not the setup) and takes 4
      x.commands.length = 0;
      res = await x.call(body('2026-12-07T13:00:00-08:00'), clinic.id);
      expect(res.status).toBe(201);
      expect(x.commands).toEqual(['TransactWriteItemsCommand', 'GetItemCommand counter', 'TransactWriteItemsCommand', 'GetItemCommand']);
      expect((await invoices.require(res.body.invoiceId)).number).toBe('4');
      expect(numbersOf(await invoiceItems(clinic.id))).toEqual([1, 2, 3, 4]);
    } finally {
      x.doc.destroy();
    }
  });
});

describe('cancelling, a no-show and a move change the invoice in the same transaction', () => {
  const FEE = 5_000;

  /** A clinic of its own whose late-cancellation window is 48 h and whose fee is FEE. */
  async function policyClinic(): Promise<TestClinic> {
    const clinic = await newClinic();
    const patched = await api.call('PATCH', `/v1/clinics/${clinic.id}`, {
      as: admin,
      body: { policy: { cancellationWindowHours: 48, lateCancellationFee: { amount: FEE, currency: 'USD' } } },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    return clinic;
  }

  const scheduleFlagsOf = async (clinicId: string, date: string, id: string) => {
    const day = await api.call('GET', `/v1/clinics/${clinicId}/schedule`, { as: frontdesk(clinicId), query: { date } });
    expect(day.status).toBe(200);
    return day.body.appointments.find((e: { id: string }) => e.id === id)?.flags;
  };

  const cancel = (id: string, clinicId: string) =>
    api.call('POST', `/v1/appointments/${id}/cancel`, { as: frontdesk(clinicId), body: { reason: 'test' } });

  it('on time: the session line is voided, total 0, status void; no fee line', async () => {
    const clinic = await policyClinic();
    const [a] = await clientsOf(clinic.id, 1);
    // a week ahead: outside the 48 h window
    const booked = await book(clinic, { clientId: a, startsAt: '2026-12-08T10:00:00-08:00' });
    expect(booked.status).toBe(201);
    const res = await cancel(booked.body.id, clinic.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', late: false, invoiceId: booked.body.invoiceId });
    const invoice = await invoices.require(booked.body.invoiceId);
    expect(invoice.version).toBe(2);
    expect(invoice.lines).toEqual([
      expect.objectContaining({ id: `session:${booked.body.id}`, voided: true, voidedAt: DEFAULT_NOW, amount: 17_500 }),
    ]);
    expect(totals(invoice)).toMatchObject({ total: 0, balance: 0, status: 'void' });
    expect(await scheduleFlagsOf(clinic.id, '2026-12-08', booked.body.id)).toEqual([]);
  });

  it('late (inside the 48 h window): the line voided and a late_cancellation fee line; total = the fee', async () => {
    const clinic = await policyClinic();
    const [a] = await clientsOf(clinic.id, 1);
    // now is 2026-12-01 04:00 in Los Angeles: 10:00 the next day is 30 h ahead
    const booked = await book(clinic, { clientId: a, startsAt: '2026-12-02T10:00:00-08:00' });
    expect(booked.status).toBe(201);
    const res = await cancel(booked.body.id, clinic.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.late).toBe(true);
    const invoice = await invoices.require(booked.body.invoiceId);
    expect(invoice.lines).toEqual([
      expect.objectContaining({ id: `session:${booked.body.id}`, voided: true }),
      expect.objectContaining({
        id: `late_cancellation:${booked.body.id}`,
        service: 'late_cancellation',
        amount: FEE,
        billable: false,
        cptCode: null,
        placeOfService: null,
        serviceDate: '2026-12-02',
        voided: false,
      }),
    ]);
    expect(totals(invoice)).toMatchObject({ total: FEE, balance: FEE, status: 'open' });
    // the fee owed shows on the day's schedule
    expect(await scheduleFlagsOf(clinic.id, '2026-12-02', booked.body.id)).toEqual(['unpaid']);
  });

  it('late, the terms waived by the front desk (the clinic cancelled): voided as if in time, no fee; a client may not waive', async () => {
    const clinic = await policyClinic();
    const [a] = await clientsOf(clinic.id, 1);
    const booked = await book(clinic, { clientId: a, startsAt: '2026-12-02T10:00:00-08:00' });
    expect(booked.status).toBe(201);
    // the client asking for it: 403, and nothing changes
    const before = await invoices.require(booked.body.invoiceId);
    const refused = await api.call('POST', `/v1/appointments/${booked.body.id}/cancel`, { as: asClient(a!), body: { waiveFee: true } });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden']);
    expect((await api.call('GET', `/v1/appointments/${booked.body.id}`, { as: frontdesk(clinic.id) })).body.status).toBe('booked');
    expect(await invoices.require(booked.body.invoiceId)).toEqual(before);
    // not a boolean: 400 on the field
    const bad = await api.call('POST', `/v1/appointments/${booked.body.id}/cancel`, {
      as: frontdesk(clinic.id),
      body: { waiveFee: 'yes' },
    });
    expect([bad.status, bad.body.error.details.map((d: { path: string }) => d.path)]).toEqual([400, ['waiveFee']]);

    const res = await api.call('POST', `/v1/appointments/${booked.body.id}/cancel`, {
      as: frontdesk(clinic.id),
      body: { reason: 'provider ill', waiveFee: true },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', late: false, feeWaived: true });
    const invoice = await invoices.require(booked.body.invoiceId);
    expect(invoice.lines).toEqual([expect.objectContaining({ id: `session:${booked.body.id}`, voided: true })]);
    expect(totals(invoice)).toMatchObject({ total: 0, balance: 0, status: 'void' });
  });

  it('shown free, late by the time it is sent (expectedLate: false): 409 and nothing changes; sent again with the late terms, the fee', async () => {
    const clinic = await policyClinic();
    const [a] = await clientsOf(clinic.id, 1);
    const booked = await book(clinic, { clientId: a, startsAt: '2026-12-02T10:00:00-08:00' });
    expect(booked.status).toBe(201);
    const before = await invoices.require(booked.body.invoiceId);
    const cancel = (body: Record<string, unknown>) =>
      api.call('POST', `/v1/appointments/${booked.body.id}/cancel`, { as: asClient(a!), body });
    const refused = await cancel({ expectedLate: false });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'conflict']);
    expect(refused.body.error.message).toMatch(/late now/);
    expect((await api.call('GET', `/v1/appointments/${booked.body.id}`, { as: frontdesk(clinic.id) })).body.status).toBe('booked');
    expect(await invoices.require(booked.body.invoiceId)).toEqual(before);
    const res = await cancel({ expectedLate: true });
    expect(res.body).toMatchObject({ status: 'cancelled', late: true });
  });

  it('a no-show: the line voided and a no_show fee line', async () => {
    const clinic = await policyClinic();
    const [a] = await clientsOf(clinic.id, 1);
    const booked = await book(clinic, { clientId: a, startsAt: '2026-12-02T11:00:00-08:00' });
    expect(booked.status).toBe(201);
    api.clock.set(Date.parse('2026-12-02T11:30:00-08:00'));
    let res: Reply;
    try {
      res = await api.call('POST', `/v1/appointments/${booked.body.id}/no-show`, { as: frontdesk(clinic.id) });
    } finally {
      api.clock.set(DEFAULT_NOW);
    }
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.status).toBe('no_show');
    const invoice = await invoices.require(booked.body.invoiceId);
    expect(invoice.lines.map((l) => [l.service, l.voided, l.amount])).toEqual([
      ['preparation', true, 17_500],
      ['no_show', false, FEE],
    ]);
    expect(invoice.lines[1]).toMatchObject({ id: `no_show:${booked.body.id}`, description: 'Missed appointment fee' });
    expect(totals(invoice).total).toBe(FEE);
    expect(await scheduleFlagsOf(clinic.id, '2026-12-02', booked.body.id)).toEqual(['unpaid']);
  });

  it('a move keeps the invoice and dates its line on the new clinic-local day', async () => {
    const clinic = await newClinic();
    const [a] = await clientsOf(clinic.id, 1);
    const booked = await book(clinic, { clientId: a, mode: 'in_person', startsAt: '2026-12-08T10:00:00-08:00' });
    expect(booked.status).toBe(201);
    // 16:00 in Los Angeles is the next UTC day: the service date stays the clinic's
    const moved = await api.call('POST', `/v1/appointments/${booked.body.id}/reschedule`, {
      as: frontdesk(clinic.id),
      body: { startsAt: '2026-12-09T16:00:00-08:00' },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.invoiceId).toBe(booked.body.invoiceId);
    const invoice = await invoices.require(booked.body.invoiceId);
    expect(invoice).toMatchObject({ number: '1', version: 2, appointmentId: booked.body.id });
    expect(invoice.lines).toEqual([
      expect.objectContaining({ serviceDate: '2026-12-09', placeOfService: '11', modifiers: [], amount: 17_500, voided: false }),
    ]);
    expect(await invoices.nextNumber(clinic.id)).toBe(2);

    // a move within the same day changes nothing on the invoice: no write of it
    const again = await api.call('POST', `/v1/appointments/${booked.body.id}/reschedule`, {
      as: frontdesk(clinic.id),
      body: { startsAt: '2026-12-09T15:00:00-08:00' },
    });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect((await invoices.require(booked.body.invoiceId)).version).toBe(2);
  });

  it("the schedule: 'unpaid' while a self-pay invoice has a balance, not once it is 0; a paid-up package session is not unpaid", async () => {
    const clinic = await newClinic();
    const [a, b] = await clientsOf(clinic.id, 2);
    const owing = await book(clinic, { clientId: a, startsAt: '2026-12-10T10:00:00-08:00' });
    const settled = await book(clinic, { clientId: b, startsAt: '2026-12-10T11:00:00-08:00' });
    expect([owing.status, settled.status]).toEqual([201, 201]);
    // no checkout exists for sessions yet: record a payment on the invoice directly
    const inv = await invoices.require(settled.body.invoiceId);
    await invoices.replace(
      inv,
      applyPayment(inv, { reference: 'pi_test_settled', amount: { amount: 17_500, currency: 'USD' }, at: DEFAULT_NOW, method: 'card' }),
    );
    const day = await api.call('GET', `/v1/clinics/${clinic.id}/schedule`, { as: frontdesk(clinic.id), query: { date: '2026-12-10' } });
    expect(day.status).toBe(200);
    const flagsOf = (id: string) => day.body.appointments.find((e: { id: string }) => e.id === id)?.flags;
    expect(flagsOf(owing.body.id)).toContain('unpaid');
    expect(flagsOf(settled.body.id)).toEqual([]);

    // a package paid in full: its session is not unpaid
    const clientId = await signUp(api);
    const programs = await api.call('GET', `/v1/clinics/${NYC}/programs`);
    const bought = await api.call('POST', '/v1/packages', {
      as: frontdesk(NYC),
      body: { clientId, programId: programs.body[0].id, payment: 'pay_in_full' },
    });
    expect(bought.status).toBe(201);
    await api.deliver(api.payments!.stub!.completeCheckout(bought.body.checkoutSessionId, 'paid'));
    const pkgBooked = await book(NYC, { clientId, packageId: bought.body.package.id, startsAt: '2026-12-11T11:00:00-05:00' });
    expect(pkgBooked.status, JSON.stringify(pkgBooked.body)).toBe(201);
    const nyc = await api.call('GET', `/v1/clinics/${NYC}/schedule`, { as: frontdesk(NYC), query: { date: '2026-12-11' } });
    const entry = nyc.body.appointments.find((e: { id: string }) => e.id === pkgBooked.body.id);
    expect(entry.flags).not.toContain('unpaid');
  });

  it('atomic: a stale invoice version refuses the whole cancel, which re-reads and succeeds', async () => {
    const clinic = await policyClinic();
    const [a] = await clientsOf(clinic.id, 1);
    const booked = await book(clinic, { clientId: a, startsAt: '2026-12-08T10:00:00-08:00' });
    expect(booked.status).toBe(201);

    // just before the cancel's first transaction, someone else changes the invoice (version 1 → 2)
    const sent: Array<{ TransactItems: Item[] }> = [];
    let armed = true;
    const watch = 'invoiceStaleWatch';
    api.table.doc.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand') {
          sent.push(plain(args.input) as { TransactItems: Item[] });
          if (armed) {
            armed = false;
            const inv = await invoices.require(booked.body.invoiceId);
            await invoices.replace(inv, { ...inv });
          }
        }
        return next(args);
      },
      { step: 'initialize', name: watch },
    );
    let res: Reply;
    try {
      res = await cancel(booked.body.id, clinic.id);
    } finally {
      api.table.doc.middlewareStack.remove(watch);
    }
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.status).toBe('cancelled');
    // two transactions: the refused one and the retry, each with the appointment AND the invoice
    expect(sent).toHaveLength(2);
    const invoicePut = (tx: { TransactItems: Item[] }) =>
      tx.TransactItems.map((t) => t.Put as { Item: Item; ExpressionAttributeValues?: Item } | undefined).find(
        (p) => p?.Item.type === 'invoice',
      );
    const appointmentPut = (tx: { TransactItems: Item[] }) =>
      tx.TransactItems.map((t) => (t.Put as { Item: Item } | undefined)?.Item).find((i) => i?.type === 'appointment');
    expect(sent.map((tx) => invoicePut(tx)?.ExpressionAttributeValues?.[':v'])).toEqual([1, 2]);
    expect(sent.map((tx) => appointmentPut(tx)?.status)).toEqual(['cancelled', 'cancelled']);

    const invoice = await invoices.require(booked.body.invoiceId);
    expect(invoice.version).toBe(3);
    expect(invoice.lines).toEqual([expect.objectContaining({ voided: true })]);
    expect(totals(invoice).status).toBe('void');
    // the refused attempt wrote nothing of the appointment: one change, version 2
    const read = await api.call('GET', `/v1/appointments/${booked.body.id}`, { as: frontdesk(clinic.id) });
    expect(read.body.status).toBe('cancelled');
    expect((await items()).find((i) => i.type === 'appointment' && i.id === booked.body.id)?.version).toBe(2);
  });
});

describe('the table as a whole', () => {
  it('every self-pay appointment has its invoice, no package appointment has one, and each clinic numbers 1..n', async () => {
    const all = await items();
    const byId = new Map(all.filter((i) => i.type === 'invoice').map((i) => [i.id as string, i]));
    const appointments = all.filter((i) => i.type === 'appointment');
    expect(appointments.length).toBeGreaterThan(40);
    for (const a of appointments) {
      if (a.packageId) {
        expect(a.invoiceId).toBeUndefined();
        expect([...byId.values()].filter((i) => i.appointmentId === a.id)).toEqual([]);
      } else {
        expect(byId.get(a.invoiceId as string), `appointment ${String(a.id)}`).toMatchObject({ appointmentId: a.id, clientId: a.clientId });
      }
    }
    const clinics = new Set([...byId.values()].map((i) => i.clinicId as string));
    for (const clinicId of clinics) {
      const numbers = numbersOf([...byId.values()].filter((i) => i.clinicId === clinicId));
      expect(numbers, clinicId).toEqual(oneTo(numbers.length));
      expect(await invoices.nextNumber(clinicId), clinicId).toBe(numbers.length + 1);
    }
  });
});

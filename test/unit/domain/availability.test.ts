import { describe, expect, it } from 'vitest';
import { availabilityRangeIssues, computeAvailability, type AvailabilityInput, type BusyBlock } from '#domain/availability.ts';
import { enumerateDates } from '#domain/time.ts';
import { DAY, HOUR, NY, REGINA, TORONTO, at, clinic, everyDay, provider, room, service, starts, wallTimesOn } from './fixtures.ts';

// "now" long before every date used, unless a test is about now.
const EARLY = Date.UTC(2026, 0, 1);

function input(overrides: Partial<AvailabilityInput>): AvailabilityInput {
  return {
    clinic: clinic(NY),
    service: service('preparation'),
    mode: 'telehealth',
    providers: [provider('p1')],
    rooms: [],
    busy: [],
    from: '2026-06-01',
    to: '2026-06-01',
    now: EARLY,
    enforceClientPolicy: false,
    ...overrides,
  };
}

const NINE_TO_FIVE_HOURLY = [
  '09:00',
  '09:30',
  '10:00',
  '10:30',
  '11:00',
  '11:30',
  '12:00',
  '12:30',
  '13:00',
  '13:30',
  '14:00',
  '14:30',
  '15:00',
  '15:30',
  '16:00',
];

describe('wall-clock grid', () => {
  it('steps by slotStepMinutes while the session still ends within hours', () => {
    const slots = computeAvailability(input({}));
    expect(wallTimesOn('2026-06-01', slots)).toEqual(NINE_TO_FIVE_HOURLY);
    expect(slots.every((s) => s.endsAt - s.startsAt === HOUR)).toBe(true);
    expect(slots[0]).toEqual({ startsAt: at('2026-06-01', '09:00'), endsAt: at('2026-06-01', '10:00'), providerId: 'p1', roomId: null });
  });

  it('uses the clinic step and the service duration', () => {
    const slots = computeAvailability(
      input({
        clinic: clinic(NY, { slotStepMinutes: 60 }),
        service: service('exploration'),
        mode: 'in_person',
        rooms: [room('d1', 'dosing')],
      }),
    );
    expect(wallTimesOn('2026-06-01', slots)).toEqual(['09:00', '10:00', '11:00', '12:00', '13:00', '14:00']);
    expect(slots.every((s) => s.endsAt - s.startsAt === 3 * HOUR)).toBe(true);
  });

  it('hours set off the booking grid start at the next quarter hour, so every start offered books', () => {
    const odd = provider('p1', { weeklyHours: everyDay('09:07', '12:00') });
    expect(wallTimesOn('2026-06-01', computeAvailability(input({ providers: [odd] })))).toEqual(['09:15', '09:45', '10:15', '10:45']);
  });

  it('offers nothing on days without hours, and each start once when windows overlap', () => {
    const p = provider('p1', {
      weeklyHours: [
        { day: 'mon', start: '09:00', end: '11:00' },
        { day: 'mon', start: '10:00', end: '12:00' },
      ],
    });
    const slots = computeAvailability(input({ providers: [p], from: '2026-06-01', to: '2026-06-02' }));
    expect(starts(slots)).toEqual([
      '2026-06-01T09:00:00-04:00',
      '2026-06-01T09:30:00-04:00',
      '2026-06-01T10:00:00-04:00',
      '2026-06-01T10:30:00-04:00',
      '2026-06-01T11:00:00-04:00',
    ]);
  });

  it('offers only providers of the role the service needs', () => {
    const therapist = provider('t1');
    const prescriber = provider('rx1', { role: 'prescriber' });
    const prep = computeAvailability(input({ providers: [therapist, prescriber] }));
    expect(new Set(prep.map((s) => s.providerId))).toEqual(new Set(['t1']));
    const evaluation = computeAvailability(input({ service: service('medical_evaluation'), providers: [therapist, prescriber] }));
    expect(new Set(evaluation.map((s) => s.providerId))).toEqual(new Set(['rx1']));
  });
});

describe('daylight saving', () => {
  const weekCases = [
    {
      zone: NY,
      from: '2026-03-05',
      to: '2026-03-11',
      changeDay: '2026-03-08',
      saturday: '2026-03-07',
      realDayHours: 23,
      before: '-05:00',
      after: '-04:00',
    },
    {
      zone: TORONTO,
      from: '2026-03-05',
      to: '2026-03-11',
      changeDay: '2026-03-08',
      saturday: '2026-03-07',
      realDayHours: 23,
      before: '-05:00',
      after: '-04:00',
    },
    {
      zone: NY,
      from: '2026-10-29',
      to: '2026-11-04',
      changeDay: '2026-11-01',
      saturday: '2026-10-31',
      realDayHours: 25,
      before: '-04:00',
      after: '-05:00',
    },
    {
      zone: TORONTO,
      from: '2026-10-29',
      to: '2026-11-04',
      changeDay: '2026-11-01',
      saturday: '2026-10-31',
      realDayHours: 25,
      before: '-04:00',
      after: '-05:00',
    },
  ];

  for (const c of weekCases) {
    it(`${c.zone}: a 09:00–17:00 provider gets the same wall-clock starts every day of the ${c.changeDay} week`, () => {
      const slots = computeAvailability(input({ clinic: clinic(c.zone), from: c.from, to: c.to }));
      const dates = enumerateDates(c.from, c.to);
      for (const date of dates) expect(wallTimesOn(date, slots, c.zone)).toEqual(NINE_TO_FIVE_HOURLY);
      expect(slots).toHaveLength(dates.length * NINE_TO_FIVE_HOURLY.length);
      // The offset changes exactly on the DST Sunday, and every slot lasts one real hour.
      for (const s of starts(slots, c.zone)) {
        expect(s.slice(19)).toBe(s.slice(0, 10) < c.changeDay ? c.before : c.after);
      }
      expect(slots.every((s) => s.endsAt - s.startsAt === HOUR)).toBe(true);
      // Saturday 09:00 to Sunday 09:00 is one wall-clock day: 23 h of real time in spring, 25 h in fall.
      const sat = slots.find((s) => s.startsAt === at(c.saturday, '09:00', c.zone))!;
      const sun = slots.find((s) => s.startsAt === at(c.changeDay, '09:00', c.zone))!;
      expect(sun.startsAt - sat.startsAt).toBe(c.realDayHours * HOUR);
    });
  }

  for (const zone of [NY, TORONTO]) {
    it(`${zone}: no 02:xx start on spring-forward day`, () => {
      const p = provider('p1', { weeklyHours: [{ day: 'sun', start: '00:00', end: '06:00' }] });
      const slots = computeAvailability(input({ clinic: clinic(zone), providers: [p], from: '2026-03-08', to: '2026-03-08' }));
      expect(starts(slots, zone)).toEqual([
        '2026-03-08T00:00:00-05:00',
        '2026-03-08T00:30:00-05:00',
        '2026-03-08T01:00:00-05:00',
        '2026-03-08T01:30:00-05:00',
        '2026-03-08T03:00:00-04:00',
        '2026-03-08T03:30:00-04:00',
        '2026-03-08T04:00:00-04:00',
        '2026-03-08T04:30:00-04:00',
        '2026-03-08T05:00:00-04:00',
      ]);
    });

    it(`${zone}: on fall-back day the repeated 01:xx hour is offered twice, once at each offset (the provider works both)`, () => {
      const p = provider('p1', { weeklyHours: [{ day: 'sun', start: '00:00', end: '04:00' }] });
      const slots = computeAvailability(input({ clinic: clinic(zone), providers: [p], from: '2026-11-01', to: '2026-11-01' }));
      expect(starts(slots, zone)).toEqual([
        '2026-11-01T00:00:00-04:00',
        '2026-11-01T00:30:00-04:00',
        '2026-11-01T01:00:00-04:00',
        '2026-11-01T01:30:00-04:00',
        '2026-11-01T01:00:00-05:00',
        '2026-11-01T01:30:00-05:00',
        '2026-11-01T02:00:00-05:00',
        '2026-11-01T02:30:00-05:00',
        '2026-11-01T03:00:00-05:00',
      ]);
    });
  }

  it('a window ending inside the gap ends at the transition', () => {
    // 00:00–02:30 on spring-forward day: the clock reaches 02:30 at 03:00 EDT (07:00Z).
    const p = provider('p1', { weeklyHours: [{ day: 'sun', start: '00:00', end: '02:30' }] });
    const slots = computeAvailability(input({ providers: [p], from: '2026-03-08', to: '2026-03-08' }));
    expect(starts(slots)).toEqual(['2026-03-08T00:00:00-05:00', '2026-03-08T00:30:00-05:00', '2026-03-08T01:00:00-05:00']);
  });

  it('America/Regina has no DST: the same offset and starts all year', () => {
    for (const [from, to] of [
      ['2026-03-05', '2026-03-11'],
      ['2026-10-29', '2026-11-04'],
    ] as const) {
      const slots = computeAvailability(input({ clinic: clinic(REGINA), from, to }));
      for (const date of enumerateDates(from, to)) expect(wallTimesOn(date, slots, REGINA)).toEqual(NINE_TO_FIVE_HOURLY);
      expect(starts(slots, REGINA).every((s) => s.endsWith('-06:00'))).toBe(true);
    }
  });
});

describe('busy blocks', () => {
  const tenToEleven = (providerId: string, roomId: string | null): BusyBlock => ({
    providerId,
    roomId,
    start: at('2026-06-01', '10:00'),
    end: at('2026-06-01', '11:00'),
  });

  it('remove every start that would overlap the provider’s appointment (half-open)', () => {
    const slots = computeAvailability(input({ busy: [tenToEleven('p1', null), tenToEleven('p2', null)] }));
    const times = wallTimesOn('2026-06-01', slots);
    expect(times).toContain('09:00'); // ends 10:00 as the other begins
    expect(times).not.toContain('09:30');
    expect(times).not.toContain('10:00');
    expect(times).not.toContain('10:30');
    expect(times).toContain('11:00'); // starts as the other ends
    expect(times).toHaveLength(NINE_TO_FIVE_HOURLY.length - 3);
  });

  it('of another provider do not matter unless they hold the room', () => {
    const slots = computeAvailability(input({ busy: [tenToEleven('p2', null)] }));
    expect(wallTimesOn('2026-06-01', slots)).toEqual(NINE_TO_FIVE_HOURLY);
  });

  it('are accepted in any order and overlapping each other', () => {
    const busy: BusyBlock[] = [
      { providerId: 'p1', roomId: null, start: at('2026-06-01', '15:00'), end: at('2026-06-01', '16:00') },
      { providerId: 'p1', roomId: null, start: at('2026-06-01', '09:00'), end: at('2026-06-01', '10:30') },
      { providerId: 'p1', roomId: null, start: at('2026-06-01', '10:00'), end: at('2026-06-01', '11:00') },
      { providerId: 'p1', roomId: null, start: at('2026-06-01', '11:00'), end: at('2026-06-01', '12:00') },
    ];
    const slots = computeAvailability(input({ busy }));
    expect(wallTimesOn('2026-06-01', slots)).toEqual(['12:00', '12:30', '13:00', '13:30', '14:00', '16:00']);
  });

  it('an empty block (its end at its start) takes no time, not even the starts just before it', () => {
    const empty: BusyBlock = { providerId: 'p1', roomId: null, start: at('2026-06-01', '10:00'), end: at('2026-06-01', '10:00') };
    expect(wallTimesOn('2026-06-01', computeAvailability(input({ busy: [empty] })))).toEqual(NINE_TO_FIVE_HOURLY);
  });

  it('on a room move the slot to the next free room of that kind, or remove it when none is free', () => {
    const rooms = [room('t2', 'therapy'), room('t1', 'therapy')];
    const one = computeAvailability(input({ mode: 'in_person', rooms, busy: [tenToEleven('other', 't1')] }));
    const roomAt = (slots: typeof one, time: string) => slots.find((s) => s.startsAt === at('2026-06-01', time))?.roomId;
    expect(roomAt(one, '09:00')).toBe('t1');
    expect(roomAt(one, '10:00')).toBe('t2');
    expect(roomAt(one, '11:00')).toBe('t1');

    const both = computeAvailability(input({ mode: 'in_person', rooms, busy: [tenToEleven('other', 't1'), tenToEleven('another', 't2')] }));
    const times = wallTimesOn('2026-06-01', both);
    expect(times).not.toContain('10:00');
    expect(times).not.toContain('09:30');
    expect(times).toContain('09:00');
  });
});

describe('times a given client could take (forClient: the waitlist)', () => {
  it('leaves out the times of the client’s own sessions, with any provider, and no other client’s', () => {
    const session = (clientId: string, time: string): BusyBlock => ({
      providerId: 'p9',
      roomId: null,
      start: at('2026-06-01', time),
      end: at('2026-06-01', time) + HOUR,
      appointmentId: `a-${clientId}`,
      clientId,
    });
    const busy = [session('c1', '14:00'), session('c2', '10:00')];
    const everyone = wallTimesOn('2026-06-01', computeAvailability(input({ busy })));
    expect(everyone).toEqual(NINE_TO_FIVE_HOURLY);
    const forC1 = wallTimesOn('2026-06-01', computeAvailability(input({ busy, forClient: 'c1' })));
    expect(forC1).toEqual(NINE_TO_FIVE_HOURLY.filter((t) => !['13:30', '14:00', '14:30'].includes(t)));
  });
});

describe('a move (moving)', () => {
  // the client c1's preparation 10:30–11:30 with p1 in room t1, to be moved
  const own: BusyBlock = {
    providerId: 'p1',
    roomId: 't1',
    start: at('2026-06-01', '10:30'),
    end: at('2026-06-01', '11:30'),
    appointmentId: 'a1',
    clientId: 'c1',
  };
  const moving = { appointmentId: 'a1', clientId: 'c1' };
  const inPerson = { mode: 'in_person' as const, rooms: [room('t1', 'therapy')] };

  it('frees the moved appointment’s own time: its provider and its room', () => {
    const without = wallTimesOn('2026-06-01', computeAvailability(input({ ...inPerson, busy: [own] })));
    expect(without).not.toContain('10:00');
    expect(without).not.toContain('11:00');
    const slots = computeAvailability(input({ ...inPerson, busy: [own], moving }));
    expect(wallTimesOn('2026-06-01', slots)).toEqual(NINE_TO_FIVE_HOURLY);
    expect(slots.find((s) => s.startsAt === at('2026-06-01', '11:00'))).toMatchObject({ providerId: 'p1', roomId: 't1' });
  });

  it('the client’s other sessions still take their time, with any provider and room, by video too', () => {
    const other: BusyBlock = { providerId: 'p9', roomId: null, start: at('2026-06-01', '14:00'), end: at('2026-06-01', '15:00') };
    const busy = [
      own,
      { ...other, appointmentId: 'a2', clientId: 'c1' },
      { ...other, start: at('2026-06-01', '09:00'), end: at('2026-06-01', '10:00'), appointmentId: 'a3', clientId: 'c2' },
    ];
    const times = wallTimesOn('2026-06-01', computeAvailability(input({ providers: [provider('p1'), provider('p2')], busy, moving })));
    expect(times).toContain('09:00'); // another client's session, another provider
    expect(times).toContain('10:30'); // its own time
    expect(times).toContain('13:00');
    expect(times).not.toContain('13:30');
    expect(times).not.toContain('14:00');
    expect(times).not.toContain('14:30');
    expect(times).toContain('15:00');
  });

  it('without a move, nobody’s client blocks and every appointment’s time is taken', () => {
    const times = wallTimesOn(
      '2026-06-01',
      computeAvailability(
        input({
          busy: [own, { ...own, providerId: 'p9', appointmentId: 'a2', start: at('2026-06-01', '14:00'), end: at('2026-06-01', '15:00') }],
        }),
      ),
    );
    expect(times).not.toContain('10:00');
    expect(times).toContain('14:00');
  });
});

describe('rooms', () => {
  it('an in-person exploration takes the first dosing room by id, never a therapy room', () => {
    const rooms = [room('therapy-a', 'therapy'), room('dose-b', 'dosing'), room('dose-a', 'dosing')];
    const slots = computeAvailability(input({ service: service('exploration'), mode: 'in_person', rooms }));
    expect(slots.length).toBeGreaterThan(0);
    expect(new Set(slots.map((s) => s.roomId))).toEqual(new Set(['dose-a']));
  });

  it('no room of the kind means no slot', () => {
    const slots = computeAvailability(input({ service: service('exploration'), mode: 'in_person', rooms: [room('therapy-a', 'therapy')] }));
    expect(slots).toEqual([]);
  });

  it('a service that needs no room gets roomId null in person', () => {
    const slots = computeAvailability(input({ service: service('preparation', { roomKind: null }), mode: 'in_person', rooms: [] }));
    expect(slots).toHaveLength(NINE_TO_FIVE_HOURLY.length);
    expect(slots.every((s) => s.roomId === null)).toBe(true);
  });
});

describe('telehealth', () => {
  it('has no room, even when every room is taken', () => {
    const busy: BusyBlock[] = [{ providerId: 'x', roomId: 't1', start: at('2026-06-01', '00:00'), end: at('2026-06-02', '00:00') }];
    const slots = computeAvailability(input({ mode: 'telehealth', rooms: [room('t1', 'therapy')], busy }));
    expect(slots).toHaveLength(NINE_TO_FIVE_HOURLY.length);
    expect(slots.every((s) => s.roomId === null)).toBe(true);
  });

  it('is never offered for a service that forbids it', () => {
    const slots = computeAvailability(input({ service: service('exploration'), mode: 'telehealth', rooms: [room('d1', 'dosing')] }));
    expect(slots).toEqual([]);
  });

  it('is offered only by providers who do video', () => {
    const slots = computeAvailability(input({ providers: [provider('video'), provider('office', { telehealth: false })] }));
    expect(new Set(slots.map((s) => s.providerId))).toEqual(new Set(['video']));
    const inPerson = computeAvailability(
      input({ mode: 'in_person', rooms: [room('t1', 'therapy')], providers: [provider('office', { telehealth: false })] }),
    );
    expect(inPerson).toHaveLength(NINE_TO_FIVE_HOURLY.length);
  });
});

describe('now, minimum notice and booking window', () => {
  const now = at('2026-06-01', '10:00');

  it('staff: every start after now, however soon or far', () => {
    const slots = computeAvailability(input({ now, from: '2026-06-01', to: '2026-09-30', enforceClientPolicy: false }));
    expect(starts(slots)[0]).toBe('2026-06-01T10:30:00-04:00');
    expect(starts(slots).at(-1)).toBe('2026-09-30T16:00:00-04:00');
  });

  it('a start exactly at now is not offered', () => {
    const slots = computeAvailability(input({ now, enforceClientPolicy: false }));
    expect(slots.some((s) => s.startsAt === now)).toBe(false);
    expect(slots.some((s) => s.startsAt === now + 30 * 60_000)).toBe(true);
  });

  it('clients: not before now + minimumNoticeHours (inclusive), not after now + bookingWindowDays (inclusive)', () => {
    const slots = computeAvailability(input({ now, from: '2026-06-01', to: '2026-09-30', enforceClientPolicy: true }));
    expect(starts(slots)[0]).toBe('2026-06-02T10:00:00-04:00'); // exactly 24 h ahead
    expect(starts(slots).at(-1)).toBe('2026-08-30T10:00:00-04:00'); // exactly 90 days ahead
    expect(slots.at(-1)!.startsAt).toBe(now + 90 * DAY);
  });

  it('clients: the clinic’s own notice and window', () => {
    const slots = computeAvailability(
      input({
        clinic: clinic(NY, { minimumNoticeHours: 2, bookingWindowDays: 1 }),
        now,
        from: '2026-06-01',
        to: '2026-06-05',
        enforceClientPolicy: true,
      }),
    );
    expect(starts(slots)[0]).toBe('2026-06-01T12:00:00-04:00');
    expect(starts(slots).at(-1)).toBe('2026-06-02T10:00:00-04:00');
  });
});

describe('sort order', () => {
  it('by start, then provider id', () => {
    const providers = [provider('p-b'), provider('p-c', { weeklyHours: everyDay('09:30', '11:00') }), provider('p-a')];
    const slots = computeAvailability(input({ providers }));
    const head = slots.slice(0, 7).map((s) => [starts([s])[0]!.slice(11, 16), s.providerId]);
    expect(head).toEqual([
      ['09:00', 'p-a'],
      ['09:00', 'p-b'],
      ['09:30', 'p-a'],
      ['09:30', 'p-b'],
      ['09:30', 'p-c'],
      ['10:00', 'p-a'],
      ['10:00', 'p-b'],
    ]);
    for (let i = 1; i < slots.length; i++) {
      const a = slots[i - 1]!;
      const b = slots[i]!;
      expect(a.startsAt < b.startsAt || (a.startsAt === b.startsAt && a.providerId < b.providerId)).toBe(true);
    }
  });
});

describe('scale', () => {
  it('handles a month for 20 therapists, 6 rooms and many busy blocks', () => {
    const providers = Array.from({ length: 20 }, (_, i) => provider(`p${String(i).padStart(2, '0')}`));
    const rooms = Array.from({ length: 6 }, (_, i) => room(`r${i}`, 'therapy'));
    const busy: BusyBlock[] = [];
    for (let d = 0; d < 31; d++) {
      for (let i = 0; i < 20; i++) {
        const start = at('2026-07-01', '09:00') + d * DAY + ((i * 7 + d) % 14) * 30 * 60_000;
        busy.push({ providerId: `p${String(i).padStart(2, '0')}`, roomId: `r${i % 6}`, start, end: start + HOUR });
      }
    }
    const slots = computeAvailability(input({ mode: 'in_person', providers, rooms, busy, from: '2026-07-01', to: '2026-07-31' }));
    expect(slots.length).toBeGreaterThan(20 * 31 * 10);
    for (const s of slots) {
      const clash = busy.some((b) => b.start < s.endsAt && s.startsAt < b.end && (b.providerId === s.providerId || b.roomId === s.roomId));
      expect(clash).toBe(false);
    }
  });
});

describe('availabilityRangeIssues', () => {
  it('a query covers at most 31 days, both ends included, and says so', () => {
    expect(availabilityRangeIssues('2026-06-01', '2026-07-01')).toEqual([]);
    expect(availabilityRangeIssues('2026-06-01', '2026-07-02')).toEqual([{ path: 'to', message: 'The range may cover at most 31 days' }]);
  });
});

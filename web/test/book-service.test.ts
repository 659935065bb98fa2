// The kind of session the booking page opens on, kept in the tab's storage instead of the address
// (web/src/lib/book-service.ts): what is stored is read back, forgetting it leaves the page's
// default, anything not shaped like a service code is not trusted, and only an older link's
// `/book?service=` names a kind to take out of the address. The dosing session an integration
// link is for is kept beside the kind, read only with it, and forgotten with it; so is a waitlist
// entry's place, practitioner and week, and the open time the desk clicked (forgotten once used).
import { describe, expect, it } from 'vitest';
import {
  forgetBookTime,
  readBookAfter,
  readBookOpening,
  readBookService,
  serviceInOldLink,
  writeBookOpening,
  writeBookService,
} from '../src/lib/book-service.ts';

/** sessionStorage's three calls over a Map. */
function memoryStore(entries: Record<string, string> = {}) {
  const map = new Map(Object.entries(entries));
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  };
}

describe('the kind of session to book, kept in the tab', () => {
  it('nothing stored: none (the page opens on its default)', () => {
    expect(readBookService(memoryStore())).toBeUndefined();
  });

  it('a kind stored is read back, and a later one replaces it', () => {
    const store = memoryStore();
    writeBookService(store, 'exploration');
    expect(readBookService(store)).toBe('exploration');
    writeBookService(store, 'preparation');
    expect(readBookService(store)).toBe('preparation');
    expect(store.map.size).toBe(1);
  });

  it('none forgets it: nothing of it is left in the tab', () => {
    const store = memoryStore();
    writeBookService(store, 'exploration');
    writeBookService(store, undefined);
    expect(readBookService(store)).toBeUndefined();
    expect(store.map.size).toBe(0);
  });

  it('what is not shaped like a service code is neither stored nor read as one', () => {
    const store = memoryStore();
    writeBookService(store, 'exploration');
    writeBookService(store, '<script>');
    expect(store.map.size).toBe(0);

    writeBookService(store, 'intake');
    const [key = ''] = store.map.keys();
    for (const odd of ['Exploration session', '', '../care']) {
      store.map.set(key, odd);
      expect(readBookService(store), odd).toBeUndefined();
    }
    store.map.set(key, 'medical_evaluation');
    expect(readBookService(store)).toBe('medical_evaluation');
  });
});

describe('the dosing session an integration link is for, kept beside the kind', () => {
  it('stored with the kind and read back; a kind stored without one forgets the earlier one', () => {
    const store = memoryStore();
    writeBookService(store, 'integration', 'ap_0123abcd');
    expect(readBookService(store)).toBe('integration');
    expect(readBookAfter(store)).toBe('ap_0123abcd');
    writeBookService(store, 'integration');
    expect(readBookAfter(store)).toBeUndefined();
    expect(store.map.size).toBe(1);
  });

  it('forgotten with the kind, and never read without one', () => {
    const store = memoryStore();
    writeBookService(store, 'integration', 'ap_0123abcd');
    writeBookService(store, undefined, 'ap_0123abcd');
    expect(store.map.size).toBe(0);
    // a kind not trusted keeps no id either
    writeBookService(store, '<script>', 'ap_0123abcd');
    expect(store.map.size).toBe(0);

    writeBookService(store, 'integration', 'ap_0123abcd');
    store.map.delete([...store.map.keys()].find((k) => store.map.get(k) === 'integration') ?? '');
    expect(readBookAfter(store)).toBeUndefined();
  });

  it('what is not shaped like an id is neither stored nor read as one', () => {
    const store = memoryStore();
    writeBookService(store, 'integration', '../care?x=1');
    expect(readBookAfter(store)).toBeUndefined();
    expect(store.map.size).toBe(1);

    writeBookService(store, 'integration', 'ap_1');
    const key = [...store.map.keys()].find((k) => store.map.get(k) === 'ap_1') ?? '';
    for (const odd of ['', 'ap 1', '<b>', 'x'.repeat(65)]) {
      store.map.set(key, odd);
      expect(readBookAfter(store), odd).toBeUndefined();
    }
  });
});

describe('an older link that named the kind in the address', () => {
  it('/book?service=… names it', () => {
    expect(serviceInOldLink('/book', new URLSearchParams('service=exploration'))).toBe('exploration');
  });

  it('/book alone, or ?service= on another page, names none', () => {
    expect(serviceInOldLink('/book', new URLSearchParams(''))).toBeUndefined();
    expect(serviceInOldLink('/care', new URLSearchParams('service=exploration'))).toBeUndefined();
  });
});

describe('where the booking page opens for a waitlist entry, kept beside the kind', () => {
  const opening = { service: 'preparation', mode: 'telehealth' as const, providerId: 'demo-nyc-ther-1', week: '2026-12-14' };

  it('stored with its kind, read back while that kind is the one stored', () => {
    const store = memoryStore();
    writeBookOpening(store, opening);
    expect(readBookService(store)).toBe('preparation');
    expect(readBookOpening(store)).toEqual(opening);
  });

  it('another kind stored since: not read (it belongs to the kind it came with)', () => {
    const store = memoryStore();
    writeBookOpening(store, opening);
    writeBookService(store, 'integration');
    expect(readBookOpening(store)).toBeUndefined();
  });

  it('forgotten with the kind: nothing of it is left in the tab', () => {
    const store = memoryStore();
    writeBookOpening(store, opening);
    writeBookService(store, undefined);
    expect(store.map.size).toBe(0);
  });

  it('with the open time the desk clicked; forgotten once used, the rest kept', () => {
    const store = memoryStore();
    const time = { startsAt: '2026-12-15T09:00:00-05:00', providerId: 'demo-nyc-ther-1' };
    writeBookOpening(store, { ...opening, time });
    expect(readBookOpening(store)).toEqual({ ...opening, time });
    forgetBookTime(store);
    expect(readBookOpening(store)).toEqual(opening);
    expect(readBookService(store)).toBe('preparation');
  });

  it('a time not of its shape is dropped: the page still opens on the week', () => {
    for (const time of [
      { startsAt: 'tomorrow at 9', providerId: 'demo-nyc-ther-1' },
      { startsAt: '2026-12-15T09:00:00', providerId: 'demo-nyc-ther-1' },
      { startsAt: '2026-12-15T09:00:00-05:00', providerId: 'a b' },
      '2026-12-15T09:00:00-05:00',
    ]) {
      const store = memoryStore({ 'kapstone.bookService': 'preparation', 'kapstone.bookOpening': JSON.stringify({ ...opening, time }) });
      expect(readBookOpening(store)).toEqual(opening);
    }
  });

  it('anything not of its shape is not trusted', () => {
    for (const bad of [
      '{',
      JSON.stringify({ ...opening, week: 'next week' }),
      JSON.stringify({ ...opening, mode: 'phone' }),
      JSON.stringify({ ...opening, providerId: 'a b' }),
    ]) {
      const store = memoryStore({ 'kapstone.bookService': 'preparation', 'kapstone.bookOpening': bad });
      expect(readBookOpening(store)).toBeUndefined();
    }
  });
});

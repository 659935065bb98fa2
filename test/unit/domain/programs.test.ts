import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '#domain/catalog.ts';
import { ValidationError } from '#domain/errors.ts';
import {
  DEFAULT_PROGRAM_SPECS,
  MAX_PROGRAM_NAME_LENGTH,
  PROGRAM_NAME_DENYLIST,
  assertNeutralName,
  creditListPrices,
  defaultPrograms,
  deniedProgramWords,
  programName,
  programPrice,
} from '#domain/programs.ts';
import type { Service } from '#domain/types.ts';

const USD = defaultCatalog('USD');
const CAD = defaultCatalog('CAD');
const NOW = Date.UTC(2026, 5, 1);

/** Ids like the real generator's: prefix, underscore, a counter. */
function counterIds() {
  const seen: string[] = [];
  let n = 0;
  const ids = (prefix: string) => {
    seen.push(prefix);
    return `${prefix}_${++n}`;
  };
  return { ids, seen };
}

/** The ValidationError details a call throws (fails when it throws anything else or nothing). */
function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).details;
  }
  throw new Error('expected a ValidationError');
}

describe('programPrice', () => {
  it('sums the catalog list prices × the counts, in the given currency', () => {
    // 2 × 175 + 4 × 550 + 2 × 175 = 2900.00
    expect(programPrice(USD, { preparation: 2, exploration: 4, integration: 2 }, 'USD')).toEqual({ amount: 290_000, currency: 'USD' });
    expect(programPrice(CAD, { preparation: 0, exploration: 1, integration: 0 }, 'CAD')).toEqual({ amount: 55_000, currency: 'CAD' });
  });

  it('uses the clinic’s own prices, not the reference ones', () => {
    const custom: Service[] = USD.map((s) => (s.code === 'integration' ? { ...s, price: { amount: 20_000, currency: 'USD' } } : s));
    expect(programPrice(custom, { preparation: 0, exploration: 0, integration: 3 }, 'USD').amount).toBe(60_000);
  });

  it('an explicit bundle price wins over the list sum', () => {
    expect(programPrice(USD, { preparation: 2, exploration: 4, integration: 4 }, 'USD', 300_000)).toEqual({
      amount: 300_000,
      currency: 'USD',
    });
  });

  it('rejects counts that are not whole numbers ≥ 0, an empty program and a bundle price below 1', () => {
    expect(issuesOf(() => programPrice(USD, { preparation: -1, exploration: 4, integration: 2 }, 'USD'))).toEqual([
      { path: 'includes.preparation', message: expect.any(String) },
    ]);
    expect(issuesOf(() => programPrice(USD, { preparation: 2, exploration: 1.5, integration: 2 }, 'USD'))[0]!.path).toBe(
      'includes.exploration',
    );
    expect(issuesOf(() => programPrice(USD, { preparation: 0, exploration: 0, integration: 0 }, 'USD'))[0]!.path).toBe('includes');
    expect(issuesOf(() => programPrice(USD, { preparation: 2, exploration: 4, integration: 2 }, 'USD', 0))[0]!.path).toBe('price');
    expect(issuesOf(() => programPrice(USD, { preparation: 2, exploration: 4, integration: 2 }, 'USD', 99.5))[0]!.path).toBe('price');
  });

  it('refuses a catalog without the service or priced in another currency', () => {
    const noIntegration = USD.filter((s) => s.code !== 'integration');
    expect(issuesOf(() => programPrice(noIntegration, { preparation: 2, exploration: 4, integration: 2 }, 'USD'))[0]!.path).toBe(
      'includes.integration',
    );
    // A service the program does not include may be missing.
    expect(programPrice(noIntegration, { preparation: 2, exploration: 4, integration: 0 }, 'USD').amount).toBe(255_000);
    expect(issuesOf(() => programPrice(USD, { preparation: 2, exploration: 4, integration: 2 }, 'CAD'))[0]!.message).toMatch(/USD/);
  });

  it('creditListPrices reads the three credit services from the catalog', () => {
    expect(creditListPrices(CAD, 'CAD')).toEqual({ preparation: 17_500, exploration: 55_000, integration: 17_500 });
    expect(() => creditListPrices(CAD, 'USD')).toThrow(ValidationError);
  });
});

describe('defaultPrograms', () => {
  const { ids, seen } = counterIds();
  const programs = defaultPrograms('clinic-1', USD, 'USD', ids, NOW);

  it('are the four programs of the issue: 4 and 6 explorations, standard and extra support', () => {
    expect(programs.map((p) => [p.explorations, p.tier, p.includes])).toEqual([
      [4, 'standard', { preparation: 2, exploration: 4, integration: 2 }],
      [4, 'extra_support', { preparation: 2, exploration: 4, integration: 4 }],
      [6, 'standard', { preparation: 2, exploration: 6, integration: 3 }],
      [6, 'extra_support', { preparation: 3, exploration: 6, integration: 6 }],
    ]);
  });

  it('extra support gives one integration per exploration; every program has preparation sessions', () => {
    for (const p of programs) {
      expect(p.includes.exploration).toBe(p.explorations);
      expect(p.includes.preparation).toBeGreaterThanOrEqual(2);
      if (p.tier === 'extra_support') expect(p.includes.integration).toBe(p.includes.exploration);
      else expect(p.includes.integration).toBeLessThan(p.includes.exploration);
    }
  });

  it('are priced at list from the catalog, every tier, in the clinic currency', () => {
    expect(programs.map((p) => p.price)).toEqual([
      { amount: 290_000, currency: 'USD' },
      { amount: 325_000, currency: 'USD' },
      { amount: 417_500, currency: 'USD' },
      { amount: 487_500, currency: 'USD' },
    ]);
    for (const p of programs) expect(p.price).toEqual(programPrice(USD, p.includes, 'USD'));
    const cad = defaultPrograms('clinic-2', CAD, 'CAD', counterIds().ids, NOW);
    expect(cad.every((p) => p.price.currency === 'CAD')).toBe(true);
  });

  it('carry the clinic, fresh ids from the generator, now, and are not retired', () => {
    expect(programs.map((p) => p.id)).toEqual(['prg_1', 'prg_2', 'prg_3', 'prg_4']);
    expect(seen).toEqual(['prg', 'prg', 'prg', 'prg']);
    for (const p of programs) expect(p).toMatchObject({ clinicId: 'clinic-1', retired: false, createdAt: NOW });
  });

  it('have distinct neutral names that name no treatment, drug or dosing', () => {
    expect(programs.map((p) => p.name)).toEqual([
      'Care program 4 - standard support',
      'Care program 4 - extra support',
      'Care program 6 - standard support',
      'Care program 6 - extra support',
    ]);
    for (const p of programs) {
      expect(p.name).not.toMatch(/explor|ketamine|dos(e|ing|age)|psychedel|drug|medic/i);
      expect(deniedProgramWords(p.name)).toEqual([]);
      expect(() => assertNeutralName(p.name)).not.toThrow();
    }
  });

  it('do not share includes objects with the specs (a caller may change a program)', () => {
    programs[0]!.includes.preparation = 99;
    expect(DEFAULT_PROGRAM_SPECS[0]!.includes.preparation).toBe(2);
    expect(defaultPrograms('clinic-1', USD, 'USD', counterIds().ids, NOW)[0]!.includes.preparation).toBe(2);
  });

  it('programName is the neutral pattern', () => {
    expect(programName(8, 'extra_support')).toBe('Care program 8 - extra support');
  });
});

describe('assertNeutralName', () => {
  const rejected = [
    'Ketamine program',
    'KETAMINE-assisted care',
    'Esketamine bundle',
    'K-E-T-A-M-I-N-E care',
    'Kétamine care',
    'KÁP program',
    '6 Explorations',
    'Exploration pack',
    'Dosing package',
    'Low dose plan',
    'Psychedelic therapy',
    'KAP program',
    'kap: 4 sessions',
    'Spravato plus',
    'Microdosing course',
    'Depression relief program',
    'PTSD care',
    'Plant medicine circle',
    'IM injection series',
  ];
  it.each(rejected)('rejects %j with a ValidationError on path name', (name) => {
    expect(issuesOf(() => assertNeutralName(name))).toEqual([{ path: 'name', message: expect.any(String) }]);
  });

  it('does not echo the denied word in the message (it may be logged)', () => {
    expect(issuesOf(() => assertNeutralName('Ketamine program'))[0]!.message).not.toMatch(/ketamine/i);
  });

  it.each([
    'Care program 4 - standard support',
    'Kapstone care 6',
    'Wellness package (premium)',
    'Program IV - extended support',
    'Closed-loop care', // "closed" holds no denied word
  ])('accepts the neutral name %j', (name) => {
    expect(() => assertNeutralName(name)).not.toThrow();
  });

  it('short words match only as whole words', () => {
    expect(deniedProgramWords('Kapok care')).toEqual([]);
    expect(deniedProgramWords('The KAP way')).toEqual(['kap']);
    expect(deniedProgramWords('Doser kit')).toEqual([]);
  });

  it('rejects a blank or overlong name', () => {
    expect(issuesOf(() => assertNeutralName('   '))[0]!.path).toBe('name');
    expect(issuesOf(() => assertNeutralName('a'.repeat(MAX_PROGRAM_NAME_LENGTH + 1)))[0]!.path).toBe('name');
    expect(() => assertNeutralName('a'.repeat(MAX_PROGRAM_NAME_LENGTH))).not.toThrow();
  });

  it('the denylist has the words the issue names, in lower case', () => {
    for (const w of ['exploration', 'ketamine', 'dosing', 'psychedelic']) expect(PROGRAM_NAME_DENYLIST).toContain(w);
    for (const w of PROGRAM_NAME_DENYLIST) expect(w).toBe(w.toLowerCase());
    expect(Object.isFrozen(PROGRAM_NAME_DENYLIST)).toBe(true);
  });
});

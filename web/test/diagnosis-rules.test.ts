// What the diagnoses form checks before saving (web/src/pages/staff/diagnosis-rules.ts): a code
// still in the field, refused or not added, keeps Save from saying "Diagnoses saved." beside it.
import { describe, expect, it } from 'vitest';
import { unaddedCodeProblem } from '../src/pages/staff/diagnosis-rules.ts';

describe('a code typed but not on the list when Save is pressed', () => {
  it('an empty field: nothing in the way', () => {
    expect(unaddedCodeProblem('')).toBeUndefined();
    expect(unaddedCodeProblem('   ')).toBeUndefined();
  });

  it('a refused code ("F3") or search words: said as not saved', () => {
    expect(unaddedCodeProblem('F3')).toBe(
      '“F3” is not a code on the list and would not be saved: correct it and press Add, or clear the field, before saving.',
    );
    expect(unaddedCodeProblem(' recurrent moderate ')).toMatch(/^“recurrent moderate” is not a code on the list/);
  });

  it('a whole code not added yet: press Add first', () => {
    expect(unaddedCodeProblem('f4310')).toBe('F43.10 is typed but not on the list: press Add, or clear the field, before saving.');
  });
});

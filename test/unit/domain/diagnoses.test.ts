// Diagnosis codes: the same code with or without its '.', and which codes repeat an earlier one.
import { describe, expect, it } from 'vitest';
import { MAX_DIAGNOSIS_CODES, duplicateCodeIndexes, icd10Key } from '#domain/diagnoses.ts';

describe('diagnosis codes', () => {
  it('at most 12, as a claim carries', () => {
    expect(MAX_DIAGNOSIS_CODES).toBe(12);
  });

  it('the dot is spelling, not part of the code', () => {
    expect(icd10Key('F43.10')).toBe('F4310');
    expect(icd10Key('F4310')).toBe('F4310');
    expect(icd10Key('T40.7X1A')).toBe('T407X1A');
  });

  it('names every repeat after the first, with or without the dot', () => {
    expect(duplicateCodeIndexes(['F33.2', 'F43.10'])).toEqual([]);
    expect(duplicateCodeIndexes(['F33.2', 'F43.10', 'F33.2'])).toEqual([2]);
    expect(duplicateCodeIndexes(['F43.10', 'F4310', 'F43.10'])).toEqual([1, 2]);
    expect(duplicateCodeIndexes([])).toEqual([]);
  });

  it('F43.1 and F43.10 are different codes', () => {
    expect(duplicateCodeIndexes(['F43.1', 'F43.10'])).toEqual([]);
  });
});

// When the week view's open times may be picked (web/src/lib/open-times-rules.ts): only once a
// read answered the question now asked, never the last question's times while the next one's load.
import { describe, expect, it } from 'vitest';
import { timesAnswerAsked, timesQuestion } from '../src/lib/open-times-rules.ts';

const asked = {
  clinicId: 'demo-nyc',
  service: 'intake',
  mode: 'in_person',
  providerId: '',
  from: '2026-11-30',
  movingId: undefined,
  round: 0,
};
const question = timesQuestion(asked);

describe('the open times on screen may be picked', () => {
  it('once read for the question asked', () => {
    expect(timesAnswerAsked({ loading: false, data: { question } }, question)).toBe(true);
  });

  it('not while a read is under way', () => {
    expect(timesAnswerAsked({ loading: true, data: { question } }, question)).toBe(false);
    expect(timesAnswerAsked({ loading: true, data: undefined }, question)).toBe(false);
  });

  it('not when they answer another question, before its read has started: a time just taken, another place, week or practitioner', () => {
    const taken = timesQuestion({ ...asked, round: 1 });
    expect(timesAnswerAsked({ loading: false, data: { question } }, taken)).toBe(false);
    for (const other of [{ mode: 'telehealth' }, { from: '2026-12-28' }, { providerId: 'demo-nyc-ther-1' }, { movingId: 'apt_1' }]) {
      const next = timesQuestion({ ...asked, ...other });
      expect(next).not.toBe(question);
      expect(timesAnswerAsked({ loading: false, data: { question } }, next)).toBe(false);
    }
  });

  it('not after the read of the question asked failed (the last question’s times still on screen)', () => {
    expect(timesAnswerAsked({ loading: false, data: { question } }, timesQuestion({ ...asked, service: 'preparation' }))).toBe(false);
    expect(timesAnswerAsked({ loading: false, data: undefined }, question)).toBe(false);
  });
});

// The video room link on the web (web/src/lib/video-room-rules.ts): the settings page's check in
// words, and the window in which My care offers "Join video session".
import { describe, expect, it } from 'vitest';
import { checkVideoRoomUrl, joinWindow } from '../src/lib/video-room-rules.ts';

describe('checkVideoRoomUrl', () => {
  it('sends the link trimmed', () => {
    expect(checkVideoRoomUrl('  https://doxy.me/jordan-reyes ')).toEqual({ url: 'https://doxy.me/jordan-reyes' });
  });

  it.each([
    ['', /Clear/],
    ['   ', /Clear/],
    ['doxy.me/jordan-reyes', /https:\/\//],
    ['http://doxy.me/jordan-reyes', /https:\/\//],
    ['javascript:alert(1)', /https:\/\//],
    ['https://doxy.me/jordan reyes', /no spaces/],
    ['https://me:secret@doxy.me/room', /password/],
    [`https://doxy.me/${'x'.repeat(490)}`, /500/],
    ['https://localhost/room', /such as/],
  ])('refuses %j in words', (typed, words) => {
    const checked = checkVideoRoomUrl(typed);
    expect(checked.url).toBeUndefined();
    expect(checked.problem).toMatch(words);
  });
});

describe('joinWindow', () => {
  const start = '2026-12-14T10:00:00-05:00';
  const end = '2026-12-14T11:00:00-05:00';
  const at = (iso: string) => Date.parse(iso);

  it.each([
    ['2026-12-13T10:00:00-05:00', 'before'],
    ['2026-12-14T09:44:59-05:00', 'before'],
    ['2026-12-14T09:45:00-05:00', 'open'],
    ['2026-12-14T10:30:00-05:00', 'open'],
    ['2026-12-14T10:59:59-05:00', 'open'],
    ['2026-12-14T11:00:00-05:00', 'over'],
  ])('at %s: %s', (now, expected) => {
    expect(joinWindow(start, end, at(now))).toBe(expected);
  });
});

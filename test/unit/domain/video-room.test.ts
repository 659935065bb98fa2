// Which appointment carries its practitioner's video room link.
import { describe, expect, it } from 'vitest';
import { showsVideoLink, videoRoomUrlProblem, videoUrlFor } from '#domain/video-room.ts';
import type { AppointmentStatus, Mode } from '#domain/types.ts';

const ROOM = 'https://doxy.me/dr-reyes';

describe('videoUrlFor', () => {
  it.each<[Mode, AppointmentStatus, string | undefined, string | null]>([
    ['telehealth', 'booked', ROOM, ROOM],
    ['telehealth', 'checked_in', ROOM, ROOM],
    ['telehealth', 'completed', ROOM, null],
    ['telehealth', 'cancelled', ROOM, null],
    ['telehealth', 'no_show', ROOM, null],
    ['in_person', 'booked', ROOM, null],
    ['in_person', 'checked_in', ROOM, null],
    ['telehealth', 'booked', undefined, null],
    ['telehealth', 'booked', '', null],
  ])('%s, %s, link %s → %s', (mode, status, link, expected) => {
    expect(videoUrlFor({ mode, status }, link)).toBe(expected);
  });
});

describe('showsVideoLink', () => {
  it('only a video session booked or checked in', () => {
    expect(showsVideoLink({ mode: 'telehealth', status: 'booked' })).toBe(true);
    expect(showsVideoLink({ mode: 'telehealth', status: 'checked_in' })).toBe(true);
    expect(showsVideoLink({ mode: 'telehealth', status: 'completed' })).toBe(false);
    expect(showsVideoLink({ mode: 'in_person', status: 'booked' })).toBe(false);
  });
});

describe('videoRoomUrlProblem', () => {
  it.each([
    'https://doxy.me/dr-reyes',
    'https://us02web.zoom.us/j/1234567890?pwd=abc',
    'HTTPS://Doxy.me/room',
    `https://a.io/${'x'.repeat(486)}`,
  ])('takes %s', (url) => expect(videoRoomUrlProblem(url)).toBeUndefined());

  it.each([
    ['http://doxy.me/dr-reyes', /https/],
    ['javascript:alert(1)', /https/],
    ['doxy.me/dr-reyes', /https/],
    ['https://doxy.me/dr reyes', /spaces/],
    ['https://doxy.me/dr-reyes\n', /spaces/],
    [`https://a.io/${'x'.repeat(488)}`, /500/],
    ['https://user:pass@doxy.me/room', /password/],
    ['https://user@doxy.me/room', /password/],
    ['https://localhost/room', /host/],
    ['https://doxy./room', /host/],
    ['https://[::1]/room', /host/],
    ['https://', /web address/],
  ])('refuses %s', (url, message) => expect(videoRoomUrlProblem(url)).toMatch(message));
});

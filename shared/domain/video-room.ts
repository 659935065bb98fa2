// A practitioner's video room link (docs/domain.md, "Video room link"): which appointment shows it.
import type { Appointment } from './types.ts';

/**
 * A session by video still to be held (booked or checked in). A session in person, cancelled,
 * completed or missed shows no link, so an old answer never leads back into the room.
 */
export function showsVideoLink(appointment: Pick<Appointment, 'mode' | 'status'>): boolean {
  return appointment.mode === 'telehealth' && (appointment.status === 'booked' || appointment.status === 'checked_in');
}

/** The appointment's `videoUrl`: its practitioner's link when it shows one, else null. */
export function videoUrlFor(appointment: Pick<Appointment, 'mode' | 'status'>, roomUrl: string | undefined): string | null {
  return showsVideoLink(appointment) && roomUrl ? roomUrl : null;
}

export const VIDEO_ROOM_URL_MAX = 500;

/**
 * What is wrong with a video room link, in words; undefined when it may be saved. Only an https
 * address of a named host (a dot in it: no "localhost", no bare word), with no spaces and no
 * user name or password in it (a link that carries a password hands it to every client).
 */
export function videoRoomUrlProblem(url: string): string | undefined {
  if (url.length > VIDEO_ROOM_URL_MAX) return `At most ${VIDEO_ROOM_URL_MAX} characters`;
  if (/\s/.test(url)) return 'Must not contain spaces';
  if (!/^https:\/\//i.test(url)) return 'Must start with https://';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'Must be a web address';
  }
  if (parsed.username !== '' || parsed.password !== '') return 'Must not contain a user name or password';
  const host = parsed.hostname;
  if (!host.includes('.') || host.startsWith('.') || host.endsWith('.') || host.startsWith('[')) return 'Must name a host such as doxy.me';
  return undefined;
}

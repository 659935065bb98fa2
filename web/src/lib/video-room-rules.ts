// A practitioner's video room link (docs/api.md, "Video room link (extension)"): the check before the admin's
// settings page sends it (the API's own rule, shared/domain/video-room.ts, in words for the form),
// and when My care offers "Join video session". Pure (no React): web/test/video-room-rules.test.ts
// has its cases, test/unit/web-checks.test.ts compares the check with the API's schema.
import { videoRoomUrlProblem, VIDEO_ROOM_URL_MAX } from '../../../shared/domain/video-room.ts';

/** How long before the start the link is shown: early enough to test sound and camera. */
export const JOIN_LEAD_MINUTES = 15;

/** The link as typed: what to send, or what is wrong with it. */
export function checkVideoRoomUrl(typed: string): { url?: string; problem?: string } {
  const url = typed.trim();
  if (url === '') return { problem: 'Enter the link of the practitioner’s video room, or use Clear to remove it.' };
  const problem = videoRoomUrlProblem(url);
  if (problem === undefined) return { url };
  if (/https/.test(problem)) return { problem: 'Enter the whole link, starting with https://' };
  if (/spaces/.test(problem)) return { problem: 'A link has no spaces. Copy it again from the video service.' };
  if (/password/.test(problem)) return { problem: 'Remove the user name or password from the link.' };
  if (/characters/.test(problem)) return { problem: `A link is at most ${VIDEO_ROOM_URL_MAX} characters.` };
  return { problem: 'Enter a link to the video service, such as https://doxy.me/your-room' };
}

/**
 * Where a session by video is in its joining window at `now` (ms): `before` it opens (15 minutes
 * before the start), `open` until the end, then `over`.
 */
export function joinWindow(startsAt: string, endsAt: string, now: number): 'before' | 'open' | 'over' {
  if (now < Date.parse(startsAt) - JOIN_LEAD_MINUTES * 60_000) return 'before';
  return now < Date.parse(endsAt) ? 'open' : 'over';
}

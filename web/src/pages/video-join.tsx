// "Join video session" on My care, for a session by video whose practitioner has a video room
// (the appointment's `videoUrl`): the link from 15 minutes before the start until the end, a
// sentence before that (lib/video-room-rules.ts, joinWindow). The page follows the clock, so a
// page left open shows the link when the window opens.
import { useEffect, useState } from 'react';
import type { Appointment } from '../lib/clinic-data.ts';
import { joinWindow } from '../lib/video-room-rules.ts';

const TICK_MS = 30_000;

export function VideoJoin({ appointment: a }: { appointment: Appointment }) {
  const [now, setNow] = useState(() => Date.now());
  const show = a.mode === 'telehealth' && !!a.videoUrl;
  useEffect(() => {
    if (!show) return;
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, [show]);
  if (!show || !a.videoUrl) return null;
  const phase = joinWindow(a.startsAt, a.endsAt, now);
  if (phase === 'over') return null;
  if (phase === 'before') return <p className="video-join hint">The link to join appears here 15 minutes before the start.</p>;
  return (
    <p className="video-join">
      <a className="btn btn-primary" href={a.videoUrl} target="_blank" rel="noopener noreferrer">
        Join video session
      </a>{' '}
      <span className="hint">Opens in a new tab.</span>
    </p>
  );
}

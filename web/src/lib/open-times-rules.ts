// When the week view's open times may be picked (components/slot-picker.tsx). A read of open times
// answers one question: the clinic, the kind of session, the place, the practitioner, the four
// weeks, the session being moved, and which read it is (the week is read again after a time was
// taken). The times on screen stay until the next question's answer arrives; until then they
// answer the last question, from the very render in which the question changed (the read itself
// starts an effect later): shown, but not to be picked, and the week is busy. Without that, the
// render that says "Someone has just taken this time" still offered that very time.

/** The question a read of open times answers, as one comparable value. */
export const timesQuestion = (q: {
  clinicId: string;
  service: string;
  mode: string;
  providerId: string;
  from: string;
  movingId: string | undefined;
  round: number;
}): string => JSON.stringify([q.clinicId, q.service, q.mode, q.providerId, q.from, q.movingId ?? '', q.round]);

/** The times on screen answer the question asked, and no read is under way: they may be picked. */
export function timesAnswerAsked(read: { loading: boolean; data: { question: string } | undefined }, asked: string): boolean {
  return !read.loading && read.data?.question === asked;
}

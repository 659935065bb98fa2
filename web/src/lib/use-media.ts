// Whether a CSS media query matches now, kept up to date (a phone turned, a window resized): for
// what CSS alone cannot change, such as which columns a table has.
import { useSyncExternalStore } from 'react';

/** The phones' width, as styles.css's `@media (max-width: 40rem)`. */
export const PHONE = '(max-width: 40rem)';

export function useMedia(query: string): boolean {
  return useSyncExternalStore(
    (changed) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', changed);
      return () => list.removeEventListener('change', changed);
    },
    () => window.matchMedia(query).matches,
  );
}

// A page that shows what others change (the day's schedule, a practitioner's week) reads it again
// every `everyMs` while the tab is visible, and at once when the tab is shown again; a hidden tab
// reads nothing.
import { useEffect } from 'react';

export function useRefreshWhileVisible(reload: () => Promise<unknown>, everyMs: number): void {
  useEffect(() => {
    const refresh = () => {
      if (document.visibilityState === 'visible') void reload();
    };
    const timer = window.setInterval(refresh, everyMs);
    document.addEventListener('visibilitychange', refresh);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', refresh);
    };
  }, [reload, everyMs]);
}

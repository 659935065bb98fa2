// Where focus goes after a staff form is refused (in the browser or by the API): to the first field
// to correct (aria-invalid), else to the form's summary of what went wrong (an element marked
// `data-problem`, focusable with tabIndex -1) — never left on the submit button, where nothing
// says what to correct. After the re-render that marks them.
import { useEffect, useRef, useState } from 'react';

/** Focuses the first field to correct inside `root`, else its problem summary. */
export function focusFirstProblem(root: HTMLElement | null): void {
  (root?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? root?.querySelector<HTMLElement>('[data-problem]'))?.focus();
}

/** `ref` on what holds the form and its summary; `refused()` after each refusal. */
export function useFocusOnRefusal<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [refusals, setRefusals] = useState(0);
  useEffect(() => {
    if (refusals > 0) focusFirstProblem(ref.current);
  }, [refusals]);
  return { ref, refused: () => setRefusals((n) => n + 1) };
}

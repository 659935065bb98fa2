// What the diagnoses form checks before saving (chart-diagnoses.tsx), pure: web/test has its cases.
import { isIcd10Code, normalizeIcd10 } from '../../lib/icd10.ts';

/**
 * What is still typed in the code field when Save is pressed. Only the list is saved, so a code
 * typed but not added (or refused: "F3") would look saved beside "Diagnoses saved." — the save
 * waits until it is added or cleared. Undefined when the field is empty.
 */
export function unaddedCodeProblem(typed: string): string | undefined {
  const code = normalizeIcd10(typed);
  if (code === '') return undefined;
  if (isIcd10Code(code)) return `${code} is typed but not on the list: press Add, or clear the field, before saving.`;
  return `“${typed.trim()}” is not a code on the list and would not be saved: correct it and press Add, or clear the field, before saving.`;
}

// Shape checks for the identifiers an invoice or claim carries: a provider's NPI, the clinic's tax
// id (US EIN, Canadian business number for GST/HST) and ICD-10-CM diagnosis codes. Each takes the
// string exactly as stored: no trimming, no separators added or removed, no case folding (the
// caller normalises input; these say whether the result may be stored). Each checks the form and
// any check digit only, never that the number was issued or is still active.

const NPI_RE = /^\d{10}$/;
const EIN_RE = /^\d{2}-\d{7}$/;
const GST_HST_ACCOUNT_RE = /^(\d{9})RT\d{4}$/;
// ICD-10-CM: a letter, a digit, a letter or digit (the category, e.g. F32, C4A), then optionally a
// '.' and 1–4 more letters or digits (e.g. F32.A, F43.10, T40.7X1A). The '.' is optional because
// claim formats (X12 837) carry codes without it.
const ICD10_CM_RE = /^[A-Z]\d[A-Z\d](?:\.?[A-Z\d]{1,4})?$/;

/** Whether the digits pass the Luhn (mod 10) check, the last digit being the check digit. */
function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * A National Provider Identifier as CMS issues them: 10 digits, the last a Luhn check digit
 * computed over "80840" (the prefix that makes it an ISO 7812 card number for US health) followed
 * by the first nine. 1234567893 is the CMS example.
 */
export function isValidNpi(s: string): boolean {
  return typeof s === 'string' && NPI_RE.test(s) && luhnValid(`80840${s}`);
}

/**
 * A US Employer Identification Number written NN-NNNNNNN (two digits, hyphen, seven digits). The
 * unhyphenated 9 digits are not accepted. The two-digit prefix is not checked against the IRS's
 * list of assigned prefixes, which changes.
 */
export function isValidEin(s: string): boolean {
  return typeof s === 'string' && EIN_RE.test(s);
}

/**
 * A Canadian business number as it goes on an invoice: the 9-digit business number, the program
 * identifier RT (upper case, the GST/HST account) and a 4-digit reference, written together
 * without spaces: 123456789RT0001. Checked by shape only, like the EIN (so that the example above
 * passes, whatever its check digit): the CRA does not publish the business number's check
 * digit as a rule callers may rely on, and a clinic's number is printed, never used to pay. Other
 * programs' accounts (RC, RP, RM…) and the bare 9-digit number are not accepted.
 */
export function isValidGstHstNumber(s: string): boolean {
  return typeof s === 'string' && GST_HST_ACCOUNT_RE.test(s);
}

/**
 * Whether `s` has the shape of an ICD-10-CM code (upper case, with or without the '.' after the
 * third character). Only the shape: whether the code exists, or is billable at that length, needs
 * the code set.
 */
export function isIcd10Code(s: string): boolean {
  return typeof s === 'string' && ICD10_CM_RE.test(s);
}

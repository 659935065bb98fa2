// Whether the app takes an invoice's payment online: a balance due, and not a program's invoice
// while its package pays it (the package's checkout and installments) — once the program is
// cancelled, what it still owes is paid on the invoice like any other. No import of the API's
// types, so the root test suite can check it as it is.

/** `packageStatus`: the status of the package a program's invoice bills (unknown: not payable here). */
export const payableOnline = (inv: { balance: { amount: number }; packageId?: string | null | undefined }, packageStatus?: string) =>
  inv.balance.amount > 0 && (!inv.packageId || packageStatus === 'cancelled');

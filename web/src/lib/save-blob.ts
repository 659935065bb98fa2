// Saving a file the app fetched with its bearer token (a receipt, a superbill, an export): a plain
// link cannot carry the token, so the page hands the browser an object URL to save.

/** Hands a fetched file to the browser to save, through an object URL revoked a minute later. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// "Download receipt (PDF)" for an invoice, on the client's and the staff's invoice pages. The PDF
// needs the bearer token, so the app fetches it as a blob and saves it (lib/save-blob.ts).
import { useState } from 'react';
import { ok } from '../api/client.ts';
import { useApp } from '../app-context.tsx';
import { saveBlob } from '../lib/save-blob.ts';
import { Button, ErrorAlert } from './ui.tsx';

export function ReceiptButton({ invoiceId, number }: { invoiceId: string; number: number }) {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const download = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const blob = await ok(api.GET('/v1/invoices/{invoiceId}/receipt.pdf', { params: { path: { invoiceId } }, parseAs: 'blob' }));
      saveBlob(blob, `receipt-${number}.pdf`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button kind="secondary" busy={busy} onClick={() => void download()}>
        Download receipt (PDF)
      </Button>
      <ErrorAlert error={error} title="The receipt could not download" />
    </>
  );
}

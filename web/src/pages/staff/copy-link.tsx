// "Copy link" beside a payment page's link, to paste into a message to the client. The clipboard
// is not always there (a page not served over HTTPS, a browser that refuses): the link is then
// shown in a field, selected, to copy by hand.
import { useEffect, useId, useRef, useState } from 'react';
import { Button } from '../../components/ui.tsx';
import './copy-link.css';

export function CopyLink({ url, label = 'Payment page link' }: { url: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'by_hand'>('idle');
  const field = useRef<HTMLInputElement>(null);
  const id = useId();
  useEffect(() => {
    if (state !== 'by_hand') return;
    field.current?.focus();
    field.current?.select();
  }, [state]);
  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(url);
      setState('copied');
    } catch {
      setState('by_hand');
    }
  };
  return (
    <div className="copy-link">
      <Button kind="secondary" onClick={() => void copy()}>
        Copy link
      </Button>
      <p role="status" className="copy-link-status">
        {state === 'copied' && 'Link copied: paste it into a message to the client.'}
        {state === 'by_hand' && 'This browser did not allow copying: the link is selected below, copy it with Ctrl+C (⌘C on a Mac).'}
      </p>
      {state === 'by_hand' && (
        <div className="field copy-link-field">
          <label htmlFor={id}>{label}</label>
          <input ref={field} id={id} type="text" readOnly value={url} onFocus={(e) => e.target.select()} />
        </div>
      )}
    </div>
  );
}

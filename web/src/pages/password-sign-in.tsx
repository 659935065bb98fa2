// Sign-in on AWS (the Cognito provider, auth/cognito.ts): e-mail and password for clients and
// staff alike, the role coming from the token. The steps a sign-in can still need come on the same
// page: the e-mailed code of an unconfirmed account, a new password (a staff account's temporary
// one), the authenticator app's code, and "forgot your password" (a code by e-mail, then a new one).
import { useState, type FormEvent } from 'react';
import { useApp } from '../app-context.tsx';
import { AuthError, type AccountFlows } from '../auth/provider.ts';
import { Alert, Button, ErrorAlert, Field, PageTitle } from '../components/ui.tsx';
import { Link, navigate, useLocation } from '../router.tsx';
import { safeNext } from './sign-in.tsx';

type Step = 'password' | 'confirm' | 'new-password' | 'mfa' | 'forgot' | 'reset';

export function PasswordSignInPage() {
  const { auth, signedIn } = useApp();
  const account = auth.account as AccountFlows;
  const { query } = useLocation();
  const next = query.get('next');
  const [step, setStep] = useState<Step>('password');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const finish = (token: string) => {
    const session = signedIn(token);
    // a client who confirmed its e-mail but has no record yet creates it first
    const noRecord = session.role === 'client' && !session.clientId;
    const to = noRecord
      ? `/sign-up${next ? `?next=${encodeURIComponent(next)}` : ''}`
      : safeNext(next, session.role === 'client' ? '/care' : '/staff');
    navigate(to, { replace: true });
  };

  const run = async (e: FormEvent, action: () => Promise<void>) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      const code = err instanceof AuthError ? err.code : '';
      if (code === 'UserNotConfirmedException') setStep('confirm');
      else if (code === 'NewPasswordRequired') setStep('new-password');
      else if (code === 'MfaRequired') setStep('mfa');
      if (code !== 'NewPasswordRequired' && code !== 'MfaRequired') setError(err);
      else setNotice((err as AuthError).message);
    } finally {
      setBusy(false);
    }
  };

  const signIn = () => auth.signIn({ kind: 'password', email, password }).then(finish);
  const go = (to: Step, message?: string) => {
    setStep(to);
    setCode('');
    setError(undefined);
    setNotice(message);
  };
  const sentTo = (d: { destination?: string }) => `We e-mailed a code to ${d.destination ?? email}.`;

  return (
    <>
      <PageTitle title="Sign in">Sign in</PageTitle>
      {notice && <Alert kind="info">{notice}</Alert>}
      <ErrorAlert error={error} title="Could not sign in" />

      {step === 'password' && (
        <form className="card form" onSubmit={(e) => void run(e, signIn)}>
          <Field label="E-mail" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          <Field
            label="Password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <Button type="submit" busy={busy}>
            Sign in
          </Button>
          <p className="or">
            <Button kind="link" onClick={() => go('forgot')}>
              Forgot your password?
            </Button>
          </p>
          <p className="or">
            New client? <Link href={`/sign-up${next ? `?next=${encodeURIComponent(next)}` : ''}`}>Create your client account</Link>
          </p>
        </form>
      )}

      {step === 'confirm' && (
        <form
          className="card form"
          onSubmit={(e) =>
            void run(e, async () => {
              await account.confirmSignUp(email, code);
              await signIn();
            })
          }
        >
          <p>Enter the code we e-mailed to {email} to confirm your address.</p>
          <Field
            label="Code"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <div className="actions">
            <Button type="submit" busy={busy}>
              Confirm and sign in
            </Button>
            <Button
              type="button"
              kind="secondary"
              onClick={() => void account.resendCode(email).then((d) => go('confirm', sentTo(d)), setError)}
            >
              Send a new code
            </Button>
          </div>
        </form>
      )}

      {step === 'new-password' && (
        <form className="card form" onSubmit={(e) => void run(e, () => account.completeNewPassword(newPassword).then(finish))}>
          <Field
            label="New password"
            type="password"
            autoComplete="new-password"
            hint="At least 12 characters, with an upper-case letter, a lower-case letter, a digit and a symbol."
            required
            value={newPassword}
            onChange={(e) => setNewPassword(e.target.value)}
          />
          <Button type="submit" busy={busy}>
            Save and sign in
          </Button>
        </form>
      )}

      {step === 'mfa' && (
        <form className="card form" onSubmit={(e) => void run(e, () => account.confirmMfa(code).then(finish))}>
          <Field
            label="Code"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <Button type="submit" busy={busy}>
            Sign in
          </Button>
        </form>
      )}

      {step === 'forgot' && (
        <form className="card form" onSubmit={(e) => void run(e, () => account.forgotPassword(email).then((d) => go('reset', sentTo(d))))}>
          <p>We will e-mail you a code to choose a new password.</p>
          <Field label="E-mail" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          <div className="actions">
            <Button type="submit" busy={busy}>
              E-mail me a code
            </Button>
            <Button type="button" kind="secondary" onClick={() => go('password')}>
              Back to sign-in
            </Button>
          </div>
        </form>
      )}

      {step === 'reset' && (
        <form
          className="card form"
          onSubmit={(e) =>
            void run(e, async () => {
              await account.confirmForgotPassword(email, code, newPassword);
              setPassword(newPassword);
              go('password', 'Your password was changed. Sign in with the new one.');
            })
          }
        >
          <Field
            label="Code"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <Field
            label="New password"
            type="password"
            autoComplete="new-password"
            hint="At least 12 characters, with an upper-case letter, a lower-case letter, a digit and a symbol."
            required
            value={newPassword}
            onChange={(e) => setNewPassword(e.target.value)}
          />
          <Button type="submit" busy={busy}>
            Change password
          </Button>
        </form>
      )}
    </>
  );
}

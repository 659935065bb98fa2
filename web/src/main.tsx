import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { AppProvider } from './app-context.tsx';
import { localAuthProvider } from './auth/local-provider.ts';
import { loadConfig } from './config.ts';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
// the API's URL and the user pool come from /config.json, written at deploy time (config.ts)
const config = await loadConfig();
// Cognito when the stack names a user pool (its SRP library is a chunk of its own, loaded only
// then); else `npm start`'s dev tokens ("choose who you are")
const auth =
  config.userPoolId && config.userPoolClientId
    ? (await import('./auth/cognito.ts')).cognitoAuthProvider({ userPoolId: config.userPoolId, userPoolClientId: config.userPoolClientId })
    : localAuthProvider;
createRoot(root).render(
  <StrictMode>
    <AppProvider auth={auth} config={config}>
      <App />
    </AppProvider>
  </StrictMode>,
);

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
createRoot(root).render(
  <StrictMode>
    {/* the local provider: `npm start`'s dev tokens; a Cognito provider (config.userPoolId) plugs in here on AWS */}
    <AppProvider auth={localAuthProvider} config={config}>
      <App />
    </AppProvider>
  </StrictMode>,
);

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { AppProvider } from './app-context.tsx';
import { localAuthProvider } from './auth/local-provider.ts';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    {/* the local provider: `npm start`'s dev tokens; a Cognito provider plugs in here on AWS */}
    <AppProvider auth={localAuthProvider}>
      <App />
    </AppProvider>
  </StrictMode>,
);

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// The shared styles first, so a screen's own rules (imported with the screen) win over .touch at equal specificity.
import './styles/app.css';
import { createApiClient, type Bridge } from './api/client.js';
import { App } from './app/App.js';

declare global {
  interface Window {
    /** Supplied by the shell before this script runs: Electron's preload or the browser shell's bridge. */
    liuliuBridge?: Bridge;
  }
}

const root = createRoot(document.getElementById('root') as HTMLElement);
const bridge = window.liuliuBridge;
if (!bridge) {
  root.render(<p className="fatal">系统暂时无法使用，请联系工作人员 · Terminal unavailable</p>);
} else {
  root.render(
    <StrictMode>
      <App client={createApiClient(bridge)} />
    </StrictMode>,
  );
}

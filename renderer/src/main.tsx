import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// The shared styles first, so a screen's own rules (imported with the screen) win over .touch at equal specificity.
import './styles/app.css';
import { createApiClient, type Bridge } from './api/client.js';
import { Supervised } from './app/Supervised.js';
import { resources } from './i18n/index.js';
import './styles/app.css';

declare global {
  interface Window {
    /** Supplied by the shell before this script runs: Electron's preload or the browser shell's bridge. */
    liuliuBridge?: Bridge;
  }
}

const root = createRoot(document.getElementById('root') as HTMLElement);
const bridge = window.liuliuBridge;
if (!bridge) {
  root.render(<p className="fatal">{`${resources['zh-CN'].common.hostUnavailable} · ${resources.en.common.hostUnavailable}`}</p>);
} else {
  root.render(
    <StrictMode>
      <Supervised bridge={bridge} client={createApiClient(bridge)} />
    </StrictMode>,
  );
}

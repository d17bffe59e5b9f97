import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CardNotice } from '../screens/session/CardNotice.js';
import { CountdownOverlay } from '../screens/session/CountdownOverlay.js';
import { DevPanel } from '../screens/session/DevPanel.js';
import { OutOfServiceNotice } from '../screens/maintenance/OutOfServiceNotice.js';
import { SessionBadge } from '../screens/session/SessionBadge.js';
import { useNavigation } from './navigation.js';
import { usePreferences } from './preferences.js';
import { useSession } from './session.js';

/**
 * The frame around every screen: language switch and elderly mode always
 * reachable, and on every screen but the attract screen a large
 * "back to start" button.
 */
export function Chrome({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const { screen, navigate } = useNavigation();
  const { session, logout } = useSession();
  // Back to the start ends the visit: the host wipes the session, then sends us to the attract screen.
  const backToStart = (): void => {
    if (session) void logout();
    else navigate('attract');
  };
  const { elderly, setElderly } = usePreferences();
  const nextLanguage = i18n.language === 'en' ? 'zh-CN' : 'en';
  return (
    <div className="chrome" data-screen={screen} lang={i18n.language}>
      <header className="chrome-bar">
        {screen !== 'attract' && (
          <button type="button" className="touch chrome-home" onClick={backToStart} data-testid="back-to-start">
            ⌂ {t('chrome.backToStart')}
          </button>
        )}
        <SessionBadge />
        <span className="chrome-spacer" />
        <button type="button" className="touch chrome-toggle" onClick={() => setElderly(!elderly)} aria-pressed={elderly} data-testid="elderly-toggle">
          {elderly ? t('chrome.elderlyOff') : t('chrome.elderly')}
        </button>
        <button type="button" className="touch chrome-toggle" onClick={() => void i18n.changeLanguage(nextLanguage)} data-testid="language-toggle">
          {t('chrome.language')}
        </button>
      </header>
      <div className="chrome-body">{children}</div>
      <CountdownOverlay />
      <CardNotice />
      <DevPanel />
      <OutOfServiceNotice />
    </div>
  );
}

import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CardNotice } from '../screens/session/CardNotice.js';
import { CountdownOverlay } from '../screens/session/CountdownOverlay.js';
import { DevBanner } from '../screens/session/DevPanel.js';
import { OutOfServiceNotice } from '../screens/maintenance/OutOfServiceNotice.js';
import { SessionBadge } from '../screens/session/SessionBadge.js';
import { menuTarget } from './menu.js';
import { useNavigation } from './navigation.js';
import { usePreferences } from './preferences.js';
import { useSession } from './session.js';

/** How long the "elderly mode is on for you" line stays (it is also read out by screen readers at once). */
const ANNOUNCEMENT_MS = 12_000;

/**
 * The frame around every screen: language switch and elderly mode always
 * reachable, and on every screen but the attract screen and the menu a large
 * "back to the menu" button. Going back to the menu keeps the citizen's
 * session: only 退出登录, the idle timeout or taking the card away (per
 * config) end it.
 */
export function Chrome({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const { t: ts } = useTranslation('session');
  const { screen, navigate } = useNavigation();
  const { session } = useSession();
  const { elderly, setElderly, elderlyAnnounced, dismissElderlyAnnouncement } = usePreferences();
  const nextLanguage = i18n.language === 'en' ? 'zh-CN' : 'en';
  const back = menuTarget(screen, session !== null);

  useEffect(() => {
    if (!elderlyAnnounced) return;
    const timer = setTimeout(dismissElderlyAnnouncement, ANNOUNCEMENT_MS);
    return () => clearTimeout(timer);
  }, [elderlyAnnounced, dismissElderlyAnnouncement]);

  return (
    <div className="chrome" data-screen={screen} lang={i18n.language}>
      <DevBanner />
      <header className="chrome-bar">
        {back !== null && (
          <button type="button" className="touch chrome-home" onClick={() => navigate(back)} data-testid="back-to-start">
            <span aria-hidden>⌂ </span>
            {t('chrome.backToStart')}
          </button>
        )}
        <SessionBadge />
        <span className="chrome-spacer" />
        <button type="button" className="touch chrome-toggle" onClick={() => setElderly(!elderly)} aria-pressed={elderly} data-testid="elderly-toggle">
          {t('chrome.elderly')}
        </button>
        <button type="button" className="touch chrome-toggle" onClick={() => void i18n.changeLanguage(nextLanguage)} lang={nextLanguage} data-testid="language-toggle">
          {t('chrome.language')}
        </button>
      </header>
      <div className="chrome-announcement" role="status" data-testid="elderly-announcement">
        {elderlyAnnounced && elderly && (
          <>
            <span>{ts('seniorHint')}</span>
            <button type="button" className="touch" onClick={dismissElderlyAnnouncement}>
              {ts('ok')}
            </button>
          </>
        )}
      </div>
      <div className="chrome-body">{children}</div>
      <CountdownOverlay />
      <CardNotice />
      <OutOfServiceNotice />
    </div>
  );
}

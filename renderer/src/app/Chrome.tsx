import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigation } from './navigation.js';
import { usePreferences } from './preferences.js';

/**
 * The frame around every screen: language switch and elderly mode always
 * reachable, and on every screen but the attract screen a large
 * "back to start" button.
 */
export function Chrome({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const { screen, restart } = useNavigation();
  const { elderly, setElderly } = usePreferences();
  const nextLanguage = i18n.language === 'en' ? 'zh-CN' : 'en';
  return (
    <div className="chrome" data-screen={screen} lang={i18n.language}>
      <header className="chrome-bar">
        {screen !== 'attract' && (
          <button type="button" className="touch chrome-home" onClick={restart} data-testid="back-to-start">
            ⌂ {t('chrome.backToStart')}
          </button>
        )}
        <span className="chrome-spacer" />
        <button type="button" className="touch chrome-toggle" onClick={() => setElderly(!elderly)} aria-pressed={elderly} data-testid="elderly-toggle">
          {elderly ? t('chrome.elderlyOff') : t('chrome.elderly')}
        </button>
        <button type="button" className="touch chrome-toggle" onClick={() => void i18n.changeLanguage(nextLanguage)} data-testid="language-toggle">
          {t('chrome.language')}
        </button>
      </header>
      <div className="chrome-body">{children}</div>
    </div>
  );
}

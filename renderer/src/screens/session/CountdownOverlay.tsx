import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session.js';

/** The idle warning: visible seconds left, and any touch (the button included) keeps the session. */
export function CountdownOverlay() {
  const { t } = useTranslation('session');
  const { countdown } = useSession();
  if (countdown === null) return null;
  return (
    <div className="overlay" role="alertdialog" aria-modal="true" aria-labelledby="idle-countdown-title" aria-describedby="idle-countdown-text" data-testid="idle-countdown">
      <div className="overlay-card">
        <h2 id="idle-countdown-title">{t('countdownTitle')}</h2>
        <p className="countdown-number" aria-hidden>
          {countdown}
        </p>
        <p id="idle-countdown-text">{t('countdown', { seconds: countdown })}</p>
        <button type="button" className="touch primary">
          {t('stay')}
        </button>
      </div>
    </div>
  );
}

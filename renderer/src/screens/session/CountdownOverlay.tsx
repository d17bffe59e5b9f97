import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session.js';

/** The idle warning: visible seconds left, and any touch (the button included) keeps the session. */
export function CountdownOverlay() {
  const { t } = useTranslation('session');
  const { countdown } = useSession();
  if (countdown === null) return null;
  return (
    <div className="overlay" role="alertdialog" aria-live="assertive" data-testid="idle-countdown">
      <div className="overlay-card">
        <h2>{t('countdownTitle')}</h2>
        <p className="countdown-number">{countdown}</p>
        <p>{t('countdown', { seconds: countdown })}</p>
        <button type="button" className="touch primary">
          {t('stay')}
        </button>
      </div>
    </div>
  );
}

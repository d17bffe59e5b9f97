import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session.js';

/** The logged-in citizen's masked name and the logout button, in the top bar. */
export function SessionBadge() {
  const { t } = useTranslation('session');
  const { session, logout } = useSession();
  if (session?.kind !== 'citizen') return null;
  return (
    <div className="session-badge">
      <span className="session-greeting" data-testid="greeting">
        {t('greeting', { name: session.maskedName })}
      </span>
      <button type="button" className="touch" onClick={() => void logout()} data-testid="logout">
        {t('logout')}
      </button>
    </div>
  );
}

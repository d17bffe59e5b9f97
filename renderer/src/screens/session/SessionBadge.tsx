import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session.js';

/**
 * In the top bar: the logged-in citizen's masked name and 退出登录, or for a
 * walk-in (开始 without a card) 结束使用 — the one way, besides the idle
 * timeout, a visit ends on purpose.
 */
export function SessionBadge() {
  const { t } = useTranslation('session');
  const { session, logout } = useSession();
  if (session === null) return null;
  if (session.kind !== 'citizen')
    return (
      <button type="button" className="touch chrome-end" onClick={() => void logout()} data-testid="end-visit">
        {t('endVisit')}
      </button>
    );
  return (
    <div className="session-badge">
      <span className="session-greeting" data-testid="greeting">
        {t('greeting', { name: session.maskedName })}
      </span>
      <button type="button" className="touch chrome-end" onClick={() => void logout()} data-testid="logout">
        {t('logout')}
      </button>
    </div>
  );
}

import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session.js';
import { useSay } from '../../i18n/say.js';

/** What the card reader says, in plain words: reading progress, or what to do next. */
export function CardNotice() {
  const { t } = useTranslation('session');
  const say = useSay();
  const { notice, dismissNotice } = useSession();
  if (!notice || notice.state === 'removed') return null;
  const reading = notice.state === 'reading';
  return (
    <div className={`card-notice ${reading ? 'is-reading' : 'is-problem'}`} role={reading ? 'status' : 'alert'} data-testid="card-notice">
      {reading && <span className="spinner small" aria-hidden />}
      <span>{say(notice.say)}</span>
      {!reading && (
        <button type="button" className="touch" onClick={dismissNotice}>
          {t('ok')}
        </button>
      )}
    </div>
  );
}

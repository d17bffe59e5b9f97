import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorShape, QueueCheckInOutcome, QueueTicketView } from '../../../../electron/contract/index.js';
import { useApi } from '../../app/api.js';
import { useNavigation } from '../../app/navigation.js';
import { useSession } from '../../app/session.js';
import { useSay } from '../../i18n/say.js';
import { Keypad } from '../progress/Keypad.js';
import { ResultStep } from '../ticket/TicketScreen.js';
import { formatOpening } from '../ticket/outcome.js';
import '../apply/cases.css';
import '../ticket/ticket.css';
import './appointment.css';

/**
 * 预约签到: the citizen checks in with the ID card she placed (the host finds
 * her appointments today by the keyed hash of the number) or by typing the
 * 8-digit code → checking in and printing (progress shown) → her
 * appointment-priority number (the ticket screen's result), or what stands
 * in the way, honestly: too early (when to come back), too late (a regular
 * number offered), unknown code, another day, used, cancelled, too many
 * wrong codes (ask staff; the service looks no code up for a while), the hall
 * service unreachable. A way back from every step.
 */
const CODE_DIGITS = 8;

type Refusal = Exclude<QueueCheckInOutcome, { kind: 'checked-in' }>;
type Step =
  | { kind: 'start' }
  | { kind: 'code'; code: string }
  | { kind: 'working' }
  | { kind: 'ticket'; ticket: QueueTicketView; slotStart: string | null }
  | { kind: 'refused'; outcome: Refusal; retry: () => void }
  | { kind: 'failed'; error: ApiErrorShape };

export function AppointmentScreen() {
  const { t, i18n } = useTranslation('appointment');
  const say = useSay();
  const api = useApi();
  const { navigate } = useNavigation();
  const { session, logout } = useSession();
  const [step, setStep] = useState<Step>({ kind: 'start' });

  const checkIn = async (code: string | undefined, requestId: string = crypto.randomUUID()): Promise<void> => {
    setStep({ kind: 'working' });
    // The same requestId on a retry: the host answers with what it already did, never a second ticket.
    const result = await api.call('queue.checkIn', code === undefined ? { requestId } : { requestId, code });
    if (!result.ok) setStep({ kind: 'failed', error: result.error });
    else if (result.value.kind === 'checked-in') setStep({ kind: 'ticket', ticket: result.value.ticket, slotStart: result.value.slotStart });
    else setStep({ kind: 'refused', outcome: result.value, retry: () => void checkIn(code, requestId) });
  };

  const regularTicket = async (categoryId: string): Promise<void> => {
    setStep({ kind: 'working' });
    const result = await api.call('queue.issue', { requestId: crypto.randomUUID(), categoryId });
    setStep(result.ok ? { kind: 'ticket', ticket: result.value, slotStart: null } : { kind: 'failed', error: result.error });
  };

  const citizen = session?.kind === 'citizen';
  const done = useCallback((): void => {
    if (citizen) navigate('home');
    else void logout();
  }, [citizen, navigate, logout]);
  const when = (iso: string): string => formatOpening(iso, i18n.language);
  const late = step.kind === 'refused' && step.outcome.kind === 'too-late' ? step.outcome : null;

  return (
    <main className="ticket appointment" data-testid="appointment-screen">
      {step.kind === 'start' && (
        <section className="appointment-start">
          <h1 className="screen-title">{t('title')}</h1>
          <p className="appointment-intro">{t('intro')}</p>
          <div className="appointment-ways">
            <button type="button" className="touch tile primary-tile" onClick={() => void checkIn(undefined)} data-testid="appointment-card">
              <span className="tile-label">{t('byCard')}</span>
              <span className="tile-hint">{citizen && session?.maskedName !== undefined ? t('byCardReady', { name: session.maskedName }) : t('byCardHint')}</span>
            </button>
            <button type="button" className="touch tile" onClick={() => setStep({ kind: 'code', code: '' })} data-testid="appointment-code">
              <span className="tile-label">{t('byCode')}</span>
              <span className="tile-hint">{t('byCodeHint')}</span>
            </button>
          </div>
        </section>
      )}
      {step.kind === 'code' && (
        <section className="appointment-entry">
          <h1 className="screen-title">{t('codeTitle')}</h1>
          <p className="appointment-code-value" aria-label={t('codeLabel')} data-testid="appointment-code-value">
            {step.code.padEnd(CODE_DIGITS, '·')}
          </p>
          <Keypad value={step.code} onChange={(code) => setStep({ kind: 'code', code })} maxLength={CODE_DIGITS} testId="appointment-key" />
          <div className="ticket-actions">
            <button type="button" className="touch" onClick={() => setStep({ kind: 'start' })} data-testid="appointment-back">
              {t('back')}
            </button>
            <button type="button" className="touch primary" disabled={step.code.length !== CODE_DIGITS} onClick={() => void checkIn(step.code)} data-testid="appointment-submit">
              {t('submit')}
            </button>
          </div>
        </section>
      )}
      {step.kind === 'working' && (
        <section className="ticket-issuing" data-testid="appointment-working" aria-live="polite">
          <div className="spinner" aria-hidden />
          <h1 className="screen-title">{t('working')}</h1>
        </section>
      )}
      {step.kind === 'ticket' && (
        <>
          {step.slotStart !== null && (
            <p className="appointment-checked-in" data-testid="appointment-checked-in">
              {t('checkedIn', { slot: when(step.slotStart) })}
            </p>
          )}
          <ResultStep ticket={step.ticket} onDone={done} />
        </>
      )}
      {step.kind === 'refused' && (
        <section className="ticket-failed" data-testid="appointment-outcome" data-outcome={step.outcome.kind} role="alert">
          <h1 className="screen-title">{t('errorTitle')}</h1>
          <p className="ticket-error-message">
            <RefusalText outcome={step.outcome} when={when} />
          </p>
          <div className="ticket-actions">
            <button type="button" className="touch" onClick={() => setStep({ kind: 'start' })} data-testid="appointment-back">
              {t('back')}
            </button>
            {late !== null && (
              <button type="button" className="touch primary" onClick={() => void regularTicket(late.categoryId)} data-testid="appointment-regular">
                {t('normalTicket')}
              </button>
            )}
            {step.outcome.kind === 'unavailable' && (
              <button type="button" className="touch primary" onClick={step.retry} data-testid="appointment-retry">
                {t('retry')}
              </button>
            )}
          </div>
        </section>
      )}
      {step.kind === 'failed' && (
        <section className="ticket-failed" data-testid="appointment-error" role="alert">
          <h1 className="screen-title">{t('errorTitle')}</h1>
          <p className="ticket-error-message">{say(step.error)}</p>
          <div className="ticket-actions">
            <button type="button" className="touch" onClick={() => setStep({ kind: 'start' })} data-testid="appointment-back">
              {t('back')}
            </button>
          </div>
        </section>
      )}
    </main>
  );
}

function RefusalText({ outcome, when }: { outcome: Refusal; when: (iso: string) => string }): string {
  const { t } = useTranslation('appointment');
  switch (outcome.kind) {
    case 'too-early':
      return t('outcome.too-early', { slot: when(outcome.slotStart), opens: when(outcome.opensAt) });
    case 'too-late':
      return t('outcome.too-late', { slot: when(outcome.slotStart), category: outcome.categoryName });
    case 'too-many-tries':
      return outcome.retryAt === null ? t('outcome.too-many-tries') : `${t('outcome.too-many-tries')} ${t('tooManyTriesUntil', { until: when(outcome.retryAt) })}`;
    default:
      return t(`outcome.${outcome.kind}`);
  }
}

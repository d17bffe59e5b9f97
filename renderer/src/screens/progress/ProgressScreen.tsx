import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorShape, CaseView, MyFeedback, PrintOutcomeView } from '../../../../electron/contract/index.js';
import type { CallResult } from '../../api/client.js';
import { useApi } from '../../app/api.js';
import { useNavigation } from '../../app/navigation.js';
import { useSession } from '../../app/session.js';
import { Keypad } from './Keypad.js';
import '../apply/cases.css';
import { useSay } from '../../i18n/say.js';

/**
 * Progress of cases: type a pre-acceptance number on the keypad (YS is
 * printed, the 18 digits are typed) and the last 4 digits of the phone given
 * in the application — the second factor the host asks of anyone who is not
 * the applicant logged in with her card — or, logged in, list one's own
 * cases. Each case shows its stages with dates; a citizen prints the result
 * of her own case once it is there Her consultations and
 * complaints (我的咨询) come with them, each with the staff answer once the
 * kiosk has pulled it from the platform.
 */
const DIGITS = 18;
const PHONE_DIGITS = 4;

type Field = 'number' | 'phone';

function formatDate(iso: string, locale: string): string {
  return new Date(iso).toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

function CaseCard({ item, canPrint }: { item: CaseView; canPrint: boolean }) {
  const { t, i18n } = useTranslation('cases');
  const say = useSay();
  const api = useApi();
  // The host's outcome (a message code), or the refusal of the call itself: both are said in the citizen's language.
  const [printed, setPrinted] = useState<PrintOutcomeView | { kind: 'failed'; error: ApiErrorShape } | 'busy' | null>(null);
  const printResult = async (): Promise<void> => {
    setPrinted('busy');
    const result = await api.call('cases.printResult', { caseId: item.caseId });
    setPrinted(result.ok ? result.value : { kind: 'failed', error: result.error });
  };
  return (
    <article className="cases-card" data-testid="progress-case">
      <h2>{item.serviceName}</h2>
      <dl className="cases-facts">
        <dt>{t('apply.number')}</dt>
        <dd data-testid="progress-case-number">{item.preAcceptanceNumber}</dd>
        <dt>{t('progress.applicant')}</dt>
        <dd>{item.maskedName}</dd>
        <dt>{t('apply.department')}</dt>
        <dd>{item.department}</dd>
        <dt>{t('apply.stage')}</dt>
        <dd data-testid="progress-case-stage">{item.stage}</dd>
        <dt>{t('progress.submittedAt')}</dt>
        <dd>{formatDate(item.submittedAt, i18n.language)}</dd>
        <dt>{t('progress.updatedAt')}</dt>
        <dd>{formatDate(item.updatedAt, i18n.language)}</dd>
      </dl>
      <ol className="cases-timeline" data-testid="progress-timeline">
        {item.stages.map((stage) => (
          <li key={stage.stage} className={stage.current ? 'is-current is-reached' : stage.at !== null ? 'is-reached' : ''}>
            <span className="cases-timeline-stage">{stage.stage}</span>
            <span className="cases-timeline-date">{stage.at === null ? t('progress.notReached') : formatDate(stage.at, i18n.language)}</span>
          </li>
        ))}
      </ol>
      {item.hasResult && (
        <div className="cases-actions">
          <span className="cases-badge is-required">{t('progress.hasResult')}</span>
          {canPrint ? (
            <button type="button" className="touch primary" onClick={() => void printResult()} disabled={printed === 'busy'} data-testid="progress-print-result">
              {t('progress.printResult')}
            </button>
          ) : (
            <span className="cases-hint">{t('progress.resultNeedsCard')}</span>
          )}
        </div>
      )}
      {printed !== null && printed !== 'busy' && <p data-testid="progress-print-outcome">{say('say' in printed ? printed.say : printed.error)}</p>}
    </article>
  );
}

function MyConsultations({ items }: { items: MyFeedback[] }) {
  const { t, i18n } = useTranslation('cases');
  return (
    <section className="cases-card" data-testid="progress-consultations">
      <h2>{t('progress.myConsultations')}</h2>
      <p className="cases-hint">{t('progress.myConsultationsHint')}</p>
      {items.length === 0 && <p>{t('progress.noConsultations')}</p>}
      {items.map((item) => (
        <article key={item.id} className="cases-consultation" data-testid="progress-consultation">
          <dl className="cases-facts">
            <dt>{t(item.kind === 'complaint' ? 'progress.complaint' : 'progress.consultation')}</dt>
            <dd>{item.text}</dd>
            <dt>{t('progress.receivedAt')}</dt>
            <dd>{formatDate(item.receivedAt, i18n.language)}</dd>
            <dt>{t('progress.reply')}</dt>
            <dd data-testid="progress-consultation-reply">{item.reply === null ? t('progress.awaitingReply') : t('progress.replyWithDate', { text: item.reply.text, date: formatDate(item.reply.answeredAt, i18n.language) })}</dd>
          </dl>
        </article>
      ))}
    </section>
  );
}

export function ProgressScreen() {
  const { t } = useTranslation('cases');
  const say = useSay();
  const api = useApi();
  const { arg, navigate } = useNavigation();
  const { session } = useSession();
  const citizen = session?.kind === 'citizen';
  const [digits, setDigits] = useState(() => (arg ?? '').replace(/^YS/i, '').replace(/\D/g, '').slice(0, DIGITS));
  const [phone, setPhone] = useState('');
  const [field, setField] = useState<Field>('number');
  const [cases, setCases] = useState<CaseView[] | null>(null);
  const [consultations, setConsultations] = useState<MyFeedback[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const typeNumber = (next: string): void => {
    setDigits(next);
    // A complete number: the keypad moves on to the phone digits.
    if (next.length === DIGITS && !citizen) setField('phone');
  };
  const shown = (result: CallResult<'cases.query'>): void => {
    setBusy(false);
    if (result.ok) setCases([result.value]);
    else {
      setCases(null);
      setProblem(say(result.error));
      if (result.error.details?.['reason'] === 'second-factor') setField('phone');
    }
  };
  const query = (number: string): void => {
    setBusy(true);
    setProblem(null);
    void api.call('cases.query', { number: `YS${number}`, ...(phone.length === PHONE_DIGITS ? { phoneLast4: phone } : {}) }).then(shown);
  };
  const mine = async (): Promise<void> => {
    setBusy(true);
    setProblem(null);
    const [result, feedback] = await Promise.all([api.call('cases.mine', {}), api.call('feedback.mine', {})]);
    setBusy(false);
    setConsultations(feedback.ok ? feedback.value : null);
    if (result.ok) {
      setCases(result.value);
      if (result.value.length === 0) setProblem(t('progress.noCases'));
    } else setProblem(say(result.error));
  };

  // Arriving from a just-submitted case: show it at once.
  const arrivedWith = useRef(arg);
  useEffect(() => {
    const number = arrivedWith.current?.replace(/^YS/i, '');
    if (number === undefined || !/^\d{16}$/.test(number)) return;
    let live = true;
    void api.call('cases.query', { number: `YS${number}` }).then((result) => {
      if (!live) return;
      if (result.ok) setCases([result.value]);
      else setProblem(say(result.error));
    });
    return () => {
      live = false;
    };
  }, [api, say]);

  return (
    <main className="cases" data-testid="progress-screen">
      <h1 className="screen-title">{t('progress.title')}</h1>
      <section className="cases-card cases-entry">
        <h2>{t('progress.enterNumber')}</h2>
        <p className="cases-hint" data-testid="progress-number-hint">{t('progress.numberHint')}</p>
        <button
          type="button"
          className={`cases-number touch${field === 'number' ? ' is-current' : ''}`}
          onClick={() => setField('number')}
          aria-pressed={field === 'number'}
          data-testid="progress-number"
        >
          <span className="visually-hidden">{t('progress.editNumber')} </span>
          YS{digits}
          <span className="cases-hint">{'_'.repeat(DIGITS - digits.length)}</span>
        </button>
        <h2>{t('progress.phoneLabel')}</h2>
        <p className="cases-hint" data-testid="progress-phone-hint">{t('progress.phoneHint')}</p>
        <button
          type="button"
          className={`cases-number touch${field === 'phone' ? ' is-current' : ''}`}
          onClick={() => setField('phone')}
          aria-pressed={field === 'phone'}
          data-testid="progress-phone"
        >
          <span className="visually-hidden">{t('progress.editPhone')} </span>
          {phone}
          <span className="cases-hint">{'_'.repeat(PHONE_DIGITS - phone.length)}</span>
        </button>
        {field === 'number' ? (
          <Keypad value={digits} onChange={typeNumber} maxLength={DIGITS} testId="progress-key" />
        ) : (
          <Keypad value={phone} onChange={setPhone} maxLength={PHONE_DIGITS} testId="progress-key" />
        )}
        <div className="cases-actions">
          <button type="button" className="touch primary" onClick={() => query(digits)} disabled={busy || digits.length === 0} data-testid="progress-query">
            {t('progress.query')}
          </button>
          {citizen ? (
            <button type="button" className="touch" onClick={() => void mine()} disabled={busy} data-testid="progress-mine">
              {t('progress.mine')}
            </button>
          ) : (
            <span className="cases-hint">{t('progress.mineHint')}</span>
          )}
        </div>
      </section>
      {problem !== null && (
        <p className="cases-problem" role="alert" data-testid="progress-problem">
          {t('errorPrefix')}
          {problem}
        </p>
      )}
      {busy && <div className="spinner" aria-hidden />}
      {cases?.map((item) => <CaseCard key={item.caseId} item={item} canPrint={citizen} />)}
      {citizen && consultations !== null && <MyConsultations items={consultations} />}
      <div className="cases-actions">
        <button type="button" className="touch" onClick={() => navigate('home')}>
          {t('apply.home')}
        </button>
      </div>
    </main>
  );
}

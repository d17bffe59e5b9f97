import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseView, PrintOutcomeView } from '../../../../electron/contract/index.js';
import type { CallResult } from '../../api/client.js';
import { useApi } from '../../app/api.js';
import { useNavigation } from '../../app/navigation.js';
import { useSession } from '../../app/session.js';
import { Keypad } from './Keypad.js';
import '../apply/cases.css';

/**
 * Progress of cases: type a pre-acceptance number on the keypad (YS is
 * printed, the 16 digits are typed), or — logged in with the ID card — list
 * one's own cases. Each case shows its stages with dates; a citizen prints
 * the result of her own case once it is there.
 */
const DIGITS = 16;

function formatDate(iso: string, locale: string): string {
  return new Date(iso).toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

function CaseCard({ item, canPrint }: { item: CaseView; canPrint: boolean }) {
  const { t, i18n } = useTranslation('cases');
  const api = useApi();
  const [printed, setPrinted] = useState<PrintOutcomeView | 'busy' | null>(null);
  const printResult = async (): Promise<void> => {
    setPrinted('busy');
    const result = await api.call('cases.printResult', { caseId: item.caseId });
    setPrinted(result.ok ? result.value : { kind: 'failed', message: result.error.message });
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
      {printed !== null && printed !== 'busy' && <p data-testid="progress-print-outcome">{printed.message}</p>}
    </article>
  );
}

export function ProgressScreen() {
  const { t } = useTranslation('cases');
  const api = useApi();
  const { arg, navigate } = useNavigation();
  const { session } = useSession();
  const citizen = session?.kind === 'citizen';
  const [digits, setDigits] = useState(() => (arg ?? '').replace(/^YS/i, '').replace(/\D/g, '').slice(0, DIGITS));
  const [cases, setCases] = useState<CaseView[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const shown = (result: CallResult<'cases.query'>): void => {
    setBusy(false);
    if (result.ok) setCases([result.value]);
    else {
      setCases(null);
      setProblem(result.error.message);
    }
  };
  const query = (number: string): void => {
    setBusy(true);
    setProblem(null);
    void api.call('cases.query', { number: `YS${number}` }).then(shown);
  };
  const mine = async (): Promise<void> => {
    setBusy(true);
    setProblem(null);
    const result = await api.call('cases.mine', {});
    setBusy(false);
    if (result.ok) {
      setCases(result.value);
      if (result.value.length === 0) setProblem(t('progress.noCases'));
    } else setProblem(result.error.message);
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
      else setProblem(result.error.message);
    });
    return () => {
      live = false;
    };
  }, [api]);

  return (
    <main className="cases" data-testid="progress-screen">
      <h1 className="screen-title">{t('progress.title')}</h1>
      <section className="cases-card cases-entry">
        <h2>{t('progress.enterNumber')}</h2>
        <p className="cases-hint">{t('progress.numberHint')}</p>
        <p className="cases-number" data-testid="progress-number">
          YS{digits}
          <span className="cases-hint">{'_'.repeat(DIGITS - digits.length)}</span>
        </p>
        <Keypad value={digits} onChange={setDigits} maxLength={DIGITS} testId="progress-key" />
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
      <div className="cases-actions">
        <button type="button" className="touch" onClick={() => navigate('home')}>
          {t('apply.home')}
        </button>
      </div>
    </main>
  );
}

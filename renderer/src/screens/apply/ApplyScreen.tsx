import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorShape, DraftView, PrintOutcomeView, ReuseOffer, SelfServiceItem, SubmittedCase } from '../../../../electron/contract/index.js';
import type { CallResult } from '../../api/client.js';
import { useApi, useEvent } from '../../app/api.js';
import { useNavigation } from '../../app/navigation.js';
import { useSession } from '../../app/session.js';
import { Keypad } from '../progress/Keypad.js';
import { PinyinInput } from '../../components/pinyin-input/PinyinInput.js';
import './cases.css';
import { useSay } from '../../i18n/say.js';
import { hallDate, ReuseChoice, ReuseConsent, ReuseStatus, useReuseOffers } from './Reuse.js';

/**
 * Self-service pre-application: choose a service → check the identity the
 * card prefilled (masked) and give a phone number → scan each material →
 * review → submit; then the pre-acceptance number, the receipt slip (printed
 * at once) and an A4 receipt on request. Every step has a way back.
 */
type Step = 'choose' | 'form' | 'materials' | 'review' | 'done';
const STEPS: readonly Step[] = ['choose', 'form', 'materials', 'review', 'done'];
const PHONE_MAX = 12;

function Problem({ problem }: { problem: string | null }) {
  const { t } = useTranslation('cases');
  if (problem === null) return null;
  return (
    <p className="cases-problem" role="alert" data-testid="apply-problem">
      {t('errorPrefix')}
      {problem}
    </p>
  );
}

function StepBar({ step }: { step: Step }) {
  const { t } = useTranslation('cases');
  const labels = t('apply.steps', { returnObjects: true }) as string[];
  return (
    <ol className="cases-steps">
      {STEPS.map((id, index) => (
        <li key={id} className={id === step ? 'cases-step is-current' : 'cases-step'}>
          {index + 1}. {labels[index]}
        </li>
      ))}
    </ol>
  );
}

function ChooseService({ onChosen, problem }: { onChosen: (serviceId: string) => void; problem: string | null }) {
  const { t, i18n } = useTranslation('cases');
  const api = useApi();
  const [services, setServices] = useState<SelfServiceItem[]>();
  // Asked again when the language switches: the host gives the names and materials in the citizen's language.
  useEffect(() => {
    void api.call('cases.services', {}).then((result) => setServices(result.ok ? result.value : []));
  }, [api, i18n.language]);
  return (
    <section className="cases-card">
      <p className="cases-hint">{t('apply.chooseHint')}</p>
      <Problem problem={problem} />
      {services === undefined ? (
        <p>{t('apply.loading')}</p>
      ) : (
        <div className="cases-services">
          {services.map((service) => (
            <button type="button" key={service.id} className="touch cases-service" onClick={() => onChosen(service.id)} data-testid={`apply-service-${service.id}`}>
              <span className="cases-service-name">{service.name}</span>
              <span className="cases-service-meta">
                {service.department} · {t('apply.requiredCount', { count: service.materials.filter((m) => m.required).length })} · {service.promisedDays === 0 ? t('apply.instant') : t('apply.promisedDays', { days: service.promisedDays })}
              </span>
            </button>
          ))}
        </div>
      )}
    </section>
  );
}

function ApplicantFacts({ draft }: { draft: DraftView }) {
  const { t } = useTranslation('cases');
  return (
    <dl className="cases-facts" data-testid="apply-applicant">
      <dt>{t('apply.name')}</dt>
      <dd>{draft.applicant.maskedName}</dd>
      <dt>{t('apply.idNumber')}</dt>
      <dd>{draft.applicant.maskedIdNumber}</dd>
      <dt>{t('apply.address')}</dt>
      <dd>{draft.applicant.maskedAddress}</dd>
    </dl>
  );
}

function FormStep({ draft, onSaved, onBack }: { draft: DraftView; onSaved: (next: DraftView) => void; onBack: () => void }) {
  const { t } = useTranslation('cases');
  const say = useSay();
  const api = useApi();
  const [phone, setPhone] = useState(draft.form.phone);
  const [mailingAddress, setMailingAddress] = useState(draft.form.mailingAddress);
  const [remarks, setRemarks] = useState(draft.form.remarks);
  const [problem, setProblem] = useState<string | null>(null);
  const save = async (): Promise<void> => {
    const result = await api.call('cases.updateForm', { phone, mailingAddress, remarks });
    if (result.ok) onSaved(result.value);
    else setProblem(say(result.error));
  };
  return (
    <section className="cases-card">
      <h2>{draft.service.name}</h2>
      <h2>{t('apply.applicant')}</h2>
      <ApplicantFacts draft={draft} />
      <p className="cases-hint">{t('apply.maskedNote')}</p>
      <div className="cases-field">
        <span>{t('apply.phone')}</span>
        <div className="cases-phone" data-testid="apply-phone" aria-live="polite">
          {phone === '' ? <span className="cases-hint">{t('apply.phonePlaceholder')}</span> : phone}
        </div>
        <Keypad value={phone} onChange={setPhone} maxLength={PHONE_MAX} testId="apply-phone-key" />
      </div>
      <div className="cases-field">
        <span>{t('apply.mailingAddress')}</span>
        <PinyinInput value={mailingAddress} onChange={setMailingAddress} maxLength={200} placeholder={t('apply.mailingAddressHint')} label={t('apply.mailingAddress')} keyboardOpen={false} testId="apply-mailing" />
      </div>
      <div className="cases-field">
        <span>{t('apply.remarks')}</span>
        <PinyinInput value={remarks} onChange={setRemarks} maxLength={500} multiline label={t('apply.remarks')} keyboardOpen={false} testId="apply-remarks" />
      </div>
      <Problem problem={problem} />
      <div className="cases-actions">
        <button type="button" className="touch" onClick={onBack}>
          {t('apply.chooseAgain')}
        </button>
        <button type="button" className="touch primary" onClick={() => void save()} data-testid="apply-form-next">
          {t('apply.next')}
        </button>
      </div>
    </section>
  );
}

function MaterialsStep({ draft, onChange, onBack, onNext }: { draft: DraftView; onChange: (next: DraftView) => void; onBack: () => void; onNext: () => void }) {
  const { t, i18n } = useTranslation('cases');
  const say = useSay();
  const api = useApi();
  // The materials' names and notes are the host's, in the citizen's language: asked again when she switches it.
  useEffect(() => {
    void api.call('cases.draft', {}).then((result) => {
      if (result.ok && result.value) onChange(result.value);
    });
  }, [api, i18n.language, onChange]);
  const [scanning, setScanning] = useState<{ materialIndex: number; percent: number } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const offers = useReuseOffers(draft.draftId);
  /** The offer waiting for her consent (the consent step replaces the list until she answers). */
  const [asking, setAsking] = useState<ReuseOffer | null>(null);
  const [reusing, setReusing] = useState(false);

  useEvent(
    'cases.scanProgress',
    useCallback(({ materialIndex, percent }) => setScanning((current) => (current && current.materialIndex === materialIndex ? { materialIndex, percent } : current)), []),
  );

  const refresh = async (): Promise<void> => {
    const result = await api.call('cases.draft', {});
    if (result.ok && result.value) onChange(result.value);
  };
  const scan = async (materialIndex: number, replacePageId?: string): Promise<void> => {
    setProblem(null);
    setScanning({ materialIndex, percent: 0 });
    const result = await api.call('cases.scanPage', { materialIndex, ...(replacePageId === undefined ? {} : { replacePageId }) });
    setScanning(null);
    if (result.ok) await refresh();
    else setProblem(say(result.error));
  };
  const remove = async (pageId: string): Promise<void> => {
    const result = await api.call('cases.deletePage', { pageId });
    if (result.ok) onChange(result.value);
    else setProblem(say(result.error));
  };
  const reuse = async (offer: ReuseOffer): Promise<void> => {
    setProblem(null);
    setReusing(true);
    const consented = draft.reuseConsentAt !== null || (await api.call('cases.consentReuse', { consent: true }).then((result) => {
      if (!result.ok) setProblem(say(result.error));
      return result.ok;
    }));
    const result = consented ? await api.call('cases.reuseMaterial', { materialIndex: offer.materialIndex, materialId: offer.materialId }) : null;
    setReusing(false);
    setAsking(null);
    if (result?.ok) onChange(result.value);
    else if (result) setProblem(say(result.error));
  };
  const scanInstead = async (materialIndex: number): Promise<void> => {
    const result = await api.call('cases.stopReuse', { materialIndex });
    if (result.ok) onChange(result.value);
    else setProblem(say(result.error));
  };
  const use = (offer: ReuseOffer): void => {
    if (draft.reuseConsentAt === null) setAsking(offer);
    else void reuse(offer);
  };
  if (asking !== null) return <ReuseConsent offer={{ ...asking, name: draft.service.materials[asking.materialIndex]?.name ?? asking.name }} draft={draft} busy={reusing} onAgree={() => void reuse(asking)} onDecline={() => setAsking(null)} />;
  const missingNames = draft.missing.map((index) => draft.service.materials[index]?.name ?? '').join(t('common:listSeparator'));

  return (
    <section className="cases-card">
      <h2>{t('apply.materials')}</h2>
      <p className="cases-hint">{t('apply.scanHint')}</p>
      <ReuseStatus offers={offers} />
      {draft.service.materials.map((material) => {
        const pages = draft.pages.filter((page) => page.materialIndex === material.index);
        const busyHere = scanning?.materialIndex === material.index;
        const offer = offers?.offers.find((candidate) => candidate.materialIndex === material.index);
        const reused = draft.reused.some((entry) => entry.materialIndex === material.index);
        return (
          <div className="cases-material" key={material.index} data-testid={`apply-material-${material.index}`}>
            <div className="cases-material-head">
              <span className="cases-material-name">{material.name}</span>
              <span className={material.required ? 'cases-badge is-required' : 'cases-badge'}>{material.required ? t('apply.required') : t('apply.optional')}</span>
              <span className="cases-badge">
                {t('apply.copies', { count: material.copies })}
                {material.original ? ` · ${t('apply.original')}` : ''}
              </span>
              {!reused && (
                <button type="button" className="touch primary" disabled={scanning !== null || reusing} onClick={() => void scan(material.index)} data-testid={`apply-scan-${material.index}`}>
                  {pages.length === 0 ? t('apply.scan') : t('apply.scanMore')}
                </button>
              )}
            </div>
            {material.note !== null && <span className="cases-hint">{material.note}</span>}
            {offer !== undefined && (pages.length === 0 || reused) && (
              // The platform keeps the name it was submitted under (Chinese); she reads this material's name in her language.
              <ReuseChoice offer={{ ...offer, name: material.name }} reused={reused} busy={scanning !== null || reusing} onUse={() => use(offer)} onScanInstead={() => void scanInstead(material.index)} />
            )}
            {busyHere && (
              <div data-testid="apply-scanning">
                <p className="cases-busy">{t('apply.scanning', { percent: Math.round(scanning.percent) })}</p>
                <div className="cases-progressbar">
                  <span style={{ width: `${scanning.percent}%` }} />
                </div>
                <div className="cases-actions">
                  <button type="button" className="touch" onClick={() => void api.call('cases.cancelScan', {})}>
                    {t('apply.cancelScan')}
                  </button>
                </div>
              </div>
            )}
            {pages.length > 0 && (
              <div className="cases-pages">
                {pages.map((page, n) => (
                  <figure className="cases-page" key={page.pageId} data-testid="apply-page">
                    <img src={page.preview} alt={t('apply.page', { n: n + 1 })} />
                    <figcaption>{t('apply.page', { n: n + 1 })}</figcaption>
                    <div className="cases-actions">
                      <button type="button" className="touch" disabled={scanning !== null} onClick={() => void scan(material.index, page.pageId)} data-testid="apply-rescan">
                        {t('apply.rescan')}
                      </button>
                      <button type="button" className="touch" disabled={scanning !== null} onClick={() => void remove(page.pageId)} data-testid="apply-delete">
                        {t('apply.delete')}
                      </button>
                    </div>
                  </figure>
                ))}
              </div>
            )}
          </div>
        );
      })}
      {draft.missing.length > 0 && <p className="cases-hint">{t('apply.missing', { names: missingNames })}</p>}
      <Problem problem={problem} />
      <div className="cases-actions">
        <button type="button" className="touch" onClick={onBack} disabled={scanning !== null}>
          {t('apply.previous')}
        </button>
        <button type="button" className="touch primary" onClick={onNext} disabled={scanning !== null || draft.missing.length > 0} data-testid="apply-materials-next">
          {t('apply.next')}
        </button>
      </div>
    </section>
  );
}

function ReviewStep({ draft, onBack, onSubmitted }: { draft: DraftView; onBack: () => void; onSubmitted: (submitted: SubmittedCase) => void }) {
  const { t } = useTranslation('cases');
  const say = useSay();
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async (): Promise<void> => {
    setBusy(true);
    setProblem(null);
    const result = await api.call('cases.submit', {});
    setBusy(false);
    if (result.ok) onSubmitted(result.value);
    else setProblem(say(result.error));
  };
  return (
    <section className="cases-card" data-testid="apply-review">
      <h2>{t('apply.review')}</h2>
      <dl className="cases-facts">
        <dt>{t('apply.service')}</dt>
        <dd>{draft.service.name}</dd>
        <dt>{t('apply.department')}</dt>
        <dd>{draft.service.department}</dd>
      </dl>
      <ApplicantFacts draft={draft} />
      <dl className="cases-facts">
        <dt>{t('apply.phone')}</dt>
        <dd>{draft.form.phone}</dd>
        {draft.form.mailingAddress !== '' && (
          <>
            <dt>{t('apply.mailingAddress')}</dt>
            <dd>{draft.form.mailingAddress}</dd>
          </>
        )}
        {draft.service.materials.map((material) => {
          const count = draft.pages.filter((page) => page.materialIndex === material.index).length;
          const reused = draft.reused.find((entry) => entry.materialIndex === material.index);
          return (
            <div key={material.index} style={{ display: 'contents' }}>
              <dt>{material.name}</dt>
              <dd data-testid={`apply-review-material-${material.index}`}>
                {reused !== undefined ? t('apply.reuse.review', { date: hallDate(reused.submittedAt) }) : count === 0 ? t('apply.noPages') : t('apply.pagesCount', { count })}
              </dd>
            </div>
          );
        })}
      </dl>
      <Problem problem={problem} />
      {busy && (
        <p className="cases-busy" data-testid="apply-submitting">
          <span className="spinner small" aria-hidden />
          {t('apply.submitting')}
        </p>
      )}
      <div className="cases-actions">
        <button type="button" className="touch" onClick={onBack} disabled={busy}>
          {t('apply.previous')}
        </button>
        <button type="button" className="touch primary" onClick={() => void submit()} disabled={busy} data-testid="apply-submit">
          {t('apply.submit')}
        </button>
      </div>
    </section>
  );
}

/** A printout's outcome from the host (a message code), or the refusal of the call itself. */
type PrintShown = PrintOutcomeView | { kind: 'failed'; error: ApiErrorShape };

function DoneStep({ submitted }: { submitted: SubmittedCase }) {
  const { t } = useTranslation('cases');
  const say = useSay();
  const api = useApi();
  const { navigate } = useNavigation();
  // The host's outcome (a message code), or the refusal of the call itself: both are said in the citizen's language.
  const [slip, setSlip] = useState<PrintShown | null>(null);
  const [a4, setA4] = useState<PrintShown | 'busy' | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const describe = useCallback((error: ApiErrorShape): PrintShown => ({ kind: 'failed', error }), []);

  useEffect(() => {
    void api.call('cases.printReceipt', { caseId: submitted.caseId, format: 'slip' }).then((result) => setSlip(result.ok ? result.value : describe(result.error)));
  }, [api, submitted.caseId, describe]);

  const printA4 = async (): Promise<void> => {
    setA4('busy');
    setProblem(null);
    const result = await api.call('cases.printReceipt', { caseId: submitted.caseId, format: 'a4' });
    if (result.ok) setA4(result.value);
    else {
      setA4(null);
      setProblem(say(result.error));
    }
  };

  return (
    <section className="cases-card" data-testid="apply-done">
      <h2>{t('apply.done')}</h2>
      <p className="cases-hint">{t('apply.number')}</p>
      <p className="cases-number" data-testid="apply-number">
        {submitted.preAcceptanceNumber}
      </p>
      <p>
        {t('common:labelled', { label: t('apply.stage'), value: submitted.stage })}
      </p>
      <p className="cases-hint">{t('apply.numberHint')}</p>
      <p data-testid="apply-slip">{slip === null ? t('apply.slipPrinting') : say('say' in slip ? slip.say : slip.error)}</p>
      {a4 === 'busy' && <p className="cases-busy">{t('apply.printingA4')}</p>}
      {a4 !== null && a4 !== 'busy' && <p data-testid="apply-a4-outcome">{say('say' in a4 ? a4.say : a4.error)}</p>}
      <Problem problem={problem} />
      <div className="cases-actions">
        <button type="button" className="touch primary" onClick={() => void printA4()} disabled={a4 === 'busy'} data-testid="apply-print-a4">
          {t('apply.printA4')}
        </button>
        <button type="button" className="touch" onClick={() => navigate('progress', submitted.preAcceptanceNumber)} data-testid="apply-to-progress">
          {t('apply.queryProgress')}
        </button>
        <button type="button" className="touch" onClick={() => navigate('home')}>
          {t('apply.home')}
        </button>
      </div>
    </section>
  );
}

export function ApplyScreen() {
  const { t } = useTranslation('cases');
  const say = useSay();
  const api = useApi();
  const { arg, navigate } = useNavigation();
  const { session } = useSession();
  const [step, setStep] = useState<Step>('choose');
  const [draft, setDraft] = useState<DraftView | null>(null);
  const [submitted, setSubmitted] = useState<SubmittedCase | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const citizen = session?.kind === 'citizen';

  const started = useCallback((result: CallResult<'cases.startDraft'>): void => {
    if (result.ok) {
      setDraft(result.value);
      setStep('form');
    } else setProblem(say(result.error));
  }, [say]);
  const start = (serviceId: string): void => {
    setProblem(null);
    void api.call('cases.startDraft', { serviceId }).then(started);
  };

  // Arriving from the guide with a service: start on it once the citizen is known.
  useEffect(() => {
    if (arg === undefined || !citizen || step !== 'choose' || draft !== null) return;
    let live = true;
    void api.call('cases.startDraft', { serviceId: arg }).then((result) => {
      if (live) started(result);
    });
    return () => {
      live = false;
    };
  }, [api, arg, citizen, step, draft, started]);

  return (
    <main className="cases" data-testid="apply-screen">
      <h1 className="screen-title">{t('apply.title')}</h1>
      <StepBar step={step} />
      {!citizen && step !== 'done' && (
        <p className="cases-problem" data-testid="apply-card-required">
          {t('apply.cardRequired')}
        </p>
      )}
      {step === 'choose' && <ChooseService onChosen={start} problem={problem} />}
      {step === 'form' && draft && (
        <FormStep
          draft={draft}
          onSaved={(next) => {
            setDraft(next);
            setStep('materials');
          }}
          onBack={() => setStep('choose')}
        />
      )}
      {step === 'materials' && draft && <MaterialsStep draft={draft} onChange={setDraft} onBack={() => setStep('form')} onNext={() => setStep('review')} />}
      {step === 'review' && draft && (
        <ReviewStep
          draft={draft}
          onBack={() => setStep('materials')}
          onSubmitted={(result) => {
            setSubmitted(result);
            setDraft(null);
            setStep('done');
          }}
        />
      )}
      {step === 'done' && submitted && <DoneStep submitted={submitted} />}
      {step === 'choose' && (
        <div className="cases-actions">
          <button type="button" className="touch" onClick={() => navigate('home')}>
            {t('apply.home')}
          </button>
        </div>
      )}
    </main>
  );
}

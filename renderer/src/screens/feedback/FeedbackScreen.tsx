import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  COMPLAINT_CATEGORIES,
  CONSULTATION_CATEGORIES,
  FEEDBACK_LIMITS,
  RATING_REASONS,
  type ApiErrorShape,
  type FeedbackReceipt,
  type FeedbackSubmission,
  type RatingReason,
} from '../../../../electron/contract/index.js';
import { useApi, useCall } from '../../app/api.js';
import { useNavigation } from '../../app/navigation.js';
import { PhoneField } from './PhoneField.js';
import { SlipOutcome } from './SlipOutcome.js';
import { StarRating } from './StarRating.js';
import { TextComposer } from './TextComposer.js';
import './feedback.css';
import { TabBar } from '../../components/TabBar.js';
import { useSay } from '../../i18n/say.js';

/**
 * Consultations (咨询), complaints (投诉) and ratings (好差评). `arg` = a
 * service id the feedback is about (the guide or a finished case links
 * here). The host checks everything; its refusal names the field, shown
 * next to the form in the citizen's language.
 */
type Tab = 'consultation' | 'complaint' | 'rating';
const TABS: readonly Tab[] = ['consultation', 'complaint', 'rating'];

/** The name of the service the feedback is about, once the host has answered. */
function useServiceName(serviceId: string | undefined): string | undefined {
  const api = useApi();
  const [named, setNamed] = useState<{ serviceId: string; name: string }>();
  useEffect(() => {
    if (serviceId === undefined) return undefined;
    let live = true;
    void api.call('guide.detail', { serviceId }).then((result) => {
      if (live && result.ok) setNamed({ serviceId, name: result.value.service.name });
    });
    return () => {
      live = false;
    };
  }, [api, serviceId]);
  return named !== undefined && named.serviceId === serviceId ? named.name : undefined;
}

function Chips<T extends string>({ options, selected, label, onToggle, testId }: { options: readonly T[]; selected: readonly T[]; label: (option: T) => string; onToggle: (option: T) => void; testId: string }) {
  return (
    <div className="feedback-chips">
      {options.map((option) => (
        <button
          type="button"
          key={option}
          aria-pressed={selected.includes(option)}
          className={`touch chip${selected.includes(option) ? ' primary' : ''}`}
          onClick={() => onToggle(option)}
          data-testid={`${testId}-${option}`}
        >
          {label(option)}
        </button>
      ))}
    </div>
  );
}

function MessageForm({ kind, serviceId, onSubmit }: { kind: 'consultation' | 'complaint'; serviceId: string | undefined; onSubmit: (submission: FeedbackSubmission) => Promise<void> }) {
  const { t } = useTranslation('feedback');
  const categories = kind === 'consultation' ? CONSULTATION_CATEGORIES : COMPLAINT_CATEGORIES;
  const [category, setCategory] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [phone, setPhone] = useState('');
  const submit = (): void => {
    if (category === null) return;
    const base = { text, ...(phone !== '' ? { phone } : {}), ...(serviceId !== undefined ? { serviceId } : {}) };
    void onSubmit(
      kind === 'consultation'
        ? { kind, category: category as (typeof CONSULTATION_CATEGORIES)[number], ...base }
        : { kind, category: category as (typeof COMPLAINT_CATEGORIES)[number], ...base },
    );
  };
  return (
    <div className="feedback-form">
      <span className="feedback-label">{t('category.title')}</span>
      <Chips options={categories} selected={category === null ? [] : [category]} label={(c) => t(`category.${c}`)} onToggle={setCategory} testId="feedback-category" />
      <TextComposer label={t(`text.${kind}`)} value={text} onChange={setText} presets={t(`presets.${kind}`, { returnObjects: true }) as string[]} max={FEEDBACK_LIMITS.textMax} testId="feedback-text" />
      <PhoneField value={phone} onChange={setPhone} />
      <SubmitButton disabled={category === null} onClick={submit} />
    </div>
  );
}

function RatingForm({ serviceId, onSubmit }: { serviceId: string | undefined; onSubmit: (submission: FeedbackSubmission) => Promise<void> }) {
  const { t } = useTranslation('feedback');
  const catalog = useCall('guide.catalog', {});
  const [stars, setStars] = useState(0);
  const [reasons, setReasons] = useState<RatingReason[]>([]);
  const [departmentId, setDepartmentId] = useState<string | null>(null);
  const [text, setText] = useState('');
  const low = stars > 0 && stars <= FEEDBACK_LIMITS.lowRatingMax;
  const toggle = (reason: RatingReason): void => setReasons(reasons.includes(reason) ? reasons.filter((r) => r !== reason) : [...reasons, reason]);
  const departments = catalog?.ok ? catalog.value.departments : [];
  const submit = (): void => {
    void onSubmit({
      kind: 'rating',
      stars,
      reasons,
      ...(text !== '' ? { text } : {}),
      ...(serviceId !== undefined ? { serviceId } : {}),
      ...(departmentId !== null ? { departmentId } : {}),
    });
  };
  return (
    <div className="feedback-form">
      <span className="feedback-label">{t('rating.stars')}</span>
      <StarRating value={stars} onChange={setStars} />
      {stars > 0 && (
        <>
          <span className="feedback-label">{low ? t('rating.reasons') : t('rating.reasonsOptional')}</span>
          <Chips options={RATING_REASONS} selected={reasons} label={(r) => t(`reason.${r}`)} onToggle={toggle} testId="feedback-reason" />
          {serviceId === undefined && departments.length > 0 && (
            <>
              <span className="feedback-label">{t('rating.department')}</span>
              <Chips
                options={departments.map((d) => d.id)}
                selected={departmentId === null ? [] : [departmentId]}
                label={(id) => departments.find((d) => d.id === id)?.name ?? id}
                onToggle={(id) => setDepartmentId(departmentId === id ? null : id)}
                testId="feedback-department"
              />
            </>
          )}
          <TextComposer label={t('text.rating')} value={text} onChange={setText} presets={t('presets.rating', { returnObjects: true }) as string[]} max={FEEDBACK_LIMITS.ratingTextMax} testId="feedback-text" />
        </>
      )}
      <SubmitButton disabled={stars === 0 || (low && reasons.length === 0)} onClick={submit} />
    </div>
  );
}

function SubmitButton({ disabled, onClick }: { disabled: boolean; onClick: () => void }) {
  const { t } = useTranslation('feedback');
  return (
    <button type="button" className="touch primary feedback-submit" disabled={disabled} onClick={onClick} data-testid="feedback-submit">
      {t('submit')}
    </button>
  );
}

export function FeedbackScreen() {
  const { t } = useTranslation('feedback');
  const say = useSay();
  const api = useApi();
  const { arg: serviceId, navigate } = useNavigation();
  const [tab, setTab] = useState<Tab>('rating');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiErrorShape | null>(null);
  const [done, setDone] = useState<FeedbackReceipt | null>(null);
  // The form is remounted (fresh) after each submission and on each tab.
  const [round, setRound] = useState(0);
  const aboutName = useServiceName(serviceId);

  const submit = async (submission: FeedbackSubmission): Promise<void> => {
    setBusy(true);
    setProblem(null);
    const result = await api.call('feedback.submit', submission);
    setBusy(false);
    if (result.ok) setDone(result.value);
    else setProblem(result.error);
  };

  return (
    <main className="feedback" data-testid="feedback-screen">
      <h1 className="screen-title">{t('title')}</h1>
      {aboutName !== undefined && <p className="feedback-about">{t('about', { name: aboutName })}</p>}
      <TabBar
        tabs={TABS}
        selected={tab}
        onSelect={(id) => {
          setTab(id);
          setProblem(null);
          setDone(null);
        }}
        label={(id) => t(`tabs.${id}`)}
        testIdPrefix="feedback-tab"
        className="feedback-tabs"
      />
      {done !== null ? (
        <div className="feedback-done" role="status" data-testid="feedback-success">
          <p className="feedback-done-title">{t(`success.${done.kind}`)}</p>
          <p>{t('success.number', { id: done.id.slice(0, 8).toUpperCase() })}</p>
          <SlipOutcome receipt={done} />
          <div className="feedback-done-actions">
            <button
              type="button"
              className="touch"
              onClick={() => {
                setDone(null);
                setRound(round + 1);
              }}
            >
              {t('success.again')}
            </button>
            <button type="button" className="touch primary" onClick={() => navigate('home')}>
              {t('common:chrome.back')}
            </button>
          </div>
        </div>
      ) : (
        <div aria-busy={busy}>
          {problem !== null && (
            <p className="feedback-problem" role="alert" data-testid="feedback-problem">
              {t('failed', { message: say(problem) })}
            </p>
          )}
          {tab === 'rating' ? (
            <RatingForm key={`rating-${round}`} serviceId={serviceId} onSubmit={submit} />
          ) : (
            <MessageForm key={`${tab}-${round}`} kind={tab} serviceId={serviceId} onSubmit={submit} />
          )}
          {busy && (
            <p className="feedback-busy" role="status">
              <span className="spinner small" aria-hidden /> {t('submitting')}
            </p>
          )}
        </div>
      )}
    </main>
  );
}

import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorShape, QueueCatalog, QueueCategoryView, QueueTicketView } from '../../../../electron/contract/index.js';
import { useApi, useEvent } from '../../app/api.js';
import { useNavigation } from '../../app/navigation.js';
import { useSession } from '../../app/session.js';
import './ticket.css';
import { TabBar } from '../../components/TabBar.js';
import { useSay } from '../../i18n/say.js';
import { formatOpening, hallClosedUntil, resultReturnsByItself } from './outcome.js';

/**
 * 取号: choose what to queue for (by department, or "what do you want to do"
 * = services by life event; preselected when the robot or the guide passes a
 * service id as the screen's `arg`) → confirm → issuing and printing → the
 * number, where to go, the QR code (when the kiosk has an address a phone
 * can open) and any printer problem → back to start (on "完成", or after
 * AUTO_RETURN_SECONDS when the ticket was printed: with no paper copy the
 * number stays until the citizen taps 完成). Closed hours show before the
 * citizen chooses. A logged-in citizen sees her masked name and "我的排队号".
 */
const AUTO_RETURN_SECONDS = 20;

interface Choice {
  category: QueueCategoryView;
  serviceId?: string;
  serviceName?: string;
}

type Step =
  | { kind: 'choose' }
  | { kind: 'confirm'; choice: Choice; requestId: string }
  | { kind: 'issuing'; choice: Choice; requestId: string }
  | { kind: 'result'; ticket: QueueTicketView }
  | { kind: 'failed'; choice: Choice; requestId: string; error: ApiErrorShape }
  | { kind: 'mine' };

type Tab = 'department' | 'todo';

function windowsText(windows: readonly string[], separator: string): string {
  if (windows.length <= 4) return windows.join(separator);
  return `${windows[0] ?? ''}–${windows[windows.length - 1] ?? ''}`;
}

export function TicketScreen() {
  const { t, i18n } = useTranslation('ticket');
  const say = useSay();
  const api = useApi();
  const { arg, navigate } = useNavigation();
  const { session, logout } = useSession();
  const [catalog, setCatalog] = useState<QueueCatalog>();
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [loadError, setLoadError] = useState<ApiErrorShape>();

  // Asked again when the language switches: the category names come from the host in the citizen's language.
  useEffect(() => {
    let live = true;
    void api.call('queue.catalog', {}).then((result) => {
      if (!live) return;
      if (result.ok) setCatalog(result.value);
      else setLoadError(result.error);
    });
    return () => {
      live = false;
    };
  }, [api, i18n.language]);

  useEffect(() => {
    let live = true;
    // Preselected by the robot or the guide: straight to the confirmation.
    if (arg !== undefined) {
      void api.call('queue.forService', { serviceId: arg }).then((result) => {
        if (live && result.ok) setStep({ kind: 'confirm', choice: { category: result.value.category, serviceId: arg, serviceName: result.value.serviceName }, requestId: crypto.randomUUID() });
      });
    }
    return () => {
      live = false;
    };
  }, [api, arg]);

  useEvent(
    'queue.waiting',
    useCallback(({ categories }) => {
      const live = new Map(categories.map((c) => [c.id, c]));
      setCatalog((current) =>
        current === undefined
          ? current
          : { ...current, categories: current.categories.map((c) => ({ ...c, waiting: live.get(c.id)?.waiting ?? c.waiting, etaMinutes: live.get(c.id)?.etaMinutes ?? c.etaMinutes })) },
      );
    }, []),
  );

  const choose = (choice: Choice): void => setStep({ kind: 'confirm', choice, requestId: crypto.randomUUID() });

  const issue = async (choice: Choice, requestId: string): Promise<void> => {
    setStep({ kind: 'issuing', choice, requestId });
    // The same requestId on a retry: the host answers with the ticket already issued, never a second one.
    const result = await api.call('queue.issue', choice.serviceId !== undefined ? { requestId, serviceId: choice.serviceId } : { requestId, categoryId: choice.category.id });
    setStep(result.ok ? { kind: 'result', ticket: result.value } : { kind: 'failed', choice, requestId, error: result.error });
  };

  const citizen = session?.kind === 'citizen';
  const done = useCallback((): void => {
    // A citizen keeps her session (her numbers stay under 我的排队号); a walk-in's visit ends here.
    if (citizen) navigate('home');
    else void logout();
  }, [citizen, navigate, logout]);

  const byId = new Map(catalog?.categories.map((c) => [c.id, c]) ?? []);

  return (
    <main className="ticket" data-testid="ticket-screen">
      {step.kind === 'choose' && (
        <ChooseStep
          catalog={catalog}
          loadError={loadError}
          byId={byId}
          onChoose={choose}
          {...(session?.kind === 'citizen' ? { onMine: () => setStep({ kind: 'mine' }) } : {})}
        />
      )}
      {step.kind === 'confirm' && (
        <section className="ticket-confirm" data-testid="ticket-confirm">
          <h1 className="screen-title">{t('confirm.title')}</h1>
          <dl className="ticket-facts">
            {step.choice.serviceName !== undefined && <Fact label={t('confirm.service')} value={step.choice.serviceName} />}
            <Fact label={t('confirm.category')} value={step.choice.category.name} />
            <Fact label={t('confirm.place')} value={t('floorWindows', { floor: step.choice.category.floor, windows: windowsText(step.choice.category.windows, t('common:listSeparator')) })} />
            {step.choice.category.issuing.open ? (
              <Fact label={t('confirm.ahead')} value={step.choice.category.waiting === null ? t('waitingUnknown') : t('waiting', { count: step.choice.category.waiting })} />
            ) : (
              <Fact label={t('confirm.closed')} value={t('nextOpening', { at: formatOpening(step.choice.category.issuing.nextOpening, i18n.language) })} testId="ticket-confirm-closed" />
            )}
            {session?.maskedName !== undefined && <Fact label={t('confirm.name')} value={session.maskedName} />}
          </dl>
          {session?.senior === true && <p className="ticket-priority-note">{t('confirm.priority')}</p>}
          <div className="ticket-actions">
            <button type="button" className="touch" onClick={() => setStep({ kind: 'choose' })} data-testid="ticket-back">
              {t('confirm.back')}
            </button>
            <button type="button" className="touch primary" onClick={() => void issue(step.choice, step.requestId)} data-testid="ticket-take">
              {t('confirm.take')}
            </button>
          </div>
        </section>
      )}
      {step.kind === 'issuing' && (
        <section className="ticket-issuing" data-testid="ticket-issuing" aria-live="polite">
          <div className="spinner" aria-hidden />
          <h1 className="screen-title">{t('printing')}</h1>
        </section>
      )}
      {step.kind === 'result' && <ResultStep ticket={step.ticket} onDone={done} />}
      {step.kind === 'failed' && (
        <section className="ticket-failed" data-testid="ticket-error" role="alert">
          <h1 className="screen-title">{t('error.title')}</h1>
          <p className="ticket-error-message">{say(step.error)}</p>
          <div className="ticket-actions">
            <button type="button" className="touch" onClick={() => setStep({ kind: 'choose' })}>
              {t('error.back')}
            </button>
            {step.error.code === 'unavailable' && (
              <button type="button" className="touch primary" onClick={() => void issue(step.choice, step.requestId)}>
                {t('error.retry')}
              </button>
            )}
          </div>
        </section>
      )}
      {step.kind === 'mine' && <MyTickets onBack={() => setStep({ kind: 'choose' })} />}
    </main>
  );
}

function Fact({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="ticket-fact">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

/** What a category button says about waiting: the count while it issues, the next opening when it does not. */
function WaitingHint({ category }: { category: QueueCategoryView }) {
  const { t, i18n } = useTranslation('ticket');
  if (!category.issuing.open) return <span className="ticket-option-hint">{t('nextOpening', { at: formatOpening(category.issuing.nextOpening, i18n.language) })}</span>;
  return <span className="ticket-option-hint">{category.waiting === null ? t('waitingUnknown') : t('waiting', { count: category.waiting })}</span>;
}

function ChooseStep({
  catalog,
  loadError,
  byId,
  onChoose,
  onMine,
}: {
  catalog: QueueCatalog | undefined;
  loadError: ApiErrorShape | undefined;
  byId: Map<string, QueueCategoryView>;
  onChoose: (choice: Choice) => void;
  onMine?: () => void;
}) {
  const { t, i18n } = useTranslation('ticket');
  const say = useSay();
  const [tab, setTab] = useState<Tab>('department');
  const [lifeEvent, setLifeEvent] = useState<string>();
  if (loadError !== undefined) return <p className="ticket-error-message" role="alert">{say(loadError)}</p>;
  if (catalog === undefined) return <div className="spinner" />;
  const group = catalog.lifeEvents.find((g) => g.id === lifeEvent);
  const closedUntil = hallClosedUntil(catalog.categories);
  return (
    <section className="ticket-choose">
      <h1 className="screen-title">{t('title')}</h1>
      {closedUntil !== null && (
        <p className="ticket-hours" role="status" data-testid="ticket-closed">
          {t('closedNow', { at: formatOpening(closedUntil, i18n.language) })}
        </p>
      )}
      <TabBar tabs={['department', 'todo'] as const} selected={tab} onSelect={setTab} label={(id) => t(`tabs.${id}`)} testIdPrefix="ticket-tab" className="ticket-tabs">
        {onMine !== undefined && (
          <button type="button" className="touch" onClick={onMine} data-testid="ticket-mine">
            {t('tabs.mine')}
          </button>
        )}
      </TabBar>
      {tab === 'department' && (
        <div className="ticket-grid">
          {catalog.departments.map((department) => {
            const category = byId.get(department.categoryId);
            if (category === undefined) return null;
            return (
              <button
                type="button"
                key={department.id}
                className={`touch ticket-option${category.issuing.open ? '' : ' is-closed'}`}
                onClick={() => onChoose({ category })}
                data-testid={`ticket-dept-${department.id}`}
              >
                <span className="ticket-option-name">{department.name}</span>
                <span className="ticket-option-hint">
                  {t('floor', { floor: department.floor })} · {category.name}
                </span>
                <WaitingHint category={category} />
              </button>
            );
          })}
        </div>
      )}
      {tab === 'todo' && group === undefined && (
        <>
          <p className="ticket-prompt">{t('chooseLifeEvent')}</p>
          <div className="ticket-grid">
            {catalog.lifeEvents.map((g) => (
              <button type="button" key={g.id} className="touch ticket-option" onClick={() => setLifeEvent(g.id)} data-testid={`ticket-life-${g.id}`}>
                <span className="ticket-option-name">{g.name}</span>
              </button>
            ))}
          </div>
        </>
      )}
      {tab === 'todo' && group !== undefined && (
        <>
          <p className="ticket-prompt">{t('chooseService')}</p>
          <div className="ticket-list">
            <button type="button" className="touch" onClick={() => setLifeEvent(undefined)} data-testid="ticket-life-back">
              <span aria-hidden>← </span>
              {group.name}
            </button>
            {group.services.map((service) => {
              const category = byId.get(service.categoryId);
              if (category === undefined) return null;
              return (
                <button
                  type="button"
                  key={service.id}
                  className="touch ticket-option"
                  onClick={() => onChoose({ category, serviceId: service.id, serviceName: service.name })}
                  data-testid={`ticket-service-${service.id}`}
                >
                  <span className="ticket-option-name">{service.name}</span>
                  <span className="ticket-option-hint">{category.name}</span>
                  {!category.issuing.open && <WaitingHint category={category} />}
                </button>
              );
            })}
          </div>
        </>
      )}
    </section>
  );
}

export function ResultStep({ ticket, onDone }: { ticket: QueueTicketView; onDone: () => void }) {
  const { t } = useTranslation('ticket');
  const byItself = resultReturnsByItself(ticket.printed);
  const [seconds, setSeconds] = useState(AUTO_RETURN_SECONDS);
  const returned = useRef(false);
  useEffect(() => {
    if (!byItself) return undefined;
    if (seconds > 0) {
      const timer = setTimeout(() => setSeconds((s) => s - 1), 1000);
      return () => clearTimeout(timer);
    }
    // Once: a re-render after the time is up must not end the visit twice.
    if (!returned.current) {
      returned.current = true;
      onDone();
    }
    return undefined;
  }, [byItself, seconds, onDone]);
  return (
    <section className="ticket-result" data-testid="ticket-result" data-holds={!byItself}>
      <div className="ticket-result-main">
        <h1 className="ticket-result-label">{t('result.yourNumber')}</h1>
        <p className="ticket-number" data-testid="ticket-number">
          {ticket.number}
        </p>
        {!byItself && (
          <p className="ticket-remember" data-testid="ticket-remember">
            {t('result.remember')}
          </p>
        )}
        {ticket.priority !== null && (
          <p className="ticket-priority" data-testid="ticket-priority">
            {t(`result.priority.${ticket.priority}`)}
          </p>
        )}
        {ticket.maskedName !== undefined && (
          <p className="ticket-name" data-testid="ticket-name">
            {ticket.maskedName}
          </p>
        )}
        <p className="ticket-category">{ticket.serviceName ?? ticket.categoryName}</p>
        <dl className="ticket-facts">
          <Fact label={t('result.place')} value={t('floorWindows', { floor: ticket.floor, windows: windowsText(ticket.windows, t('common:listSeparator')) })} testId="ticket-place" />
          {ticket.peopleAhead !== null && <Fact label={t('result.ahead')} value={t('result.aheadValue', { count: ticket.peopleAhead })} testId="ticket-ahead" />}
          {ticket.etaMinutes !== null && <Fact label={t('result.eta')} value={t('result.etaValue', { count: ticket.etaMinutes })} />}
        </dl>
      </div>
      <div className="ticket-result-side">
        {ticket.offline && <p className="ticket-offline">{t('result.offline')}</p>}
        {ticket.printed.ok ? (
          <p className="ticket-printed">{t('result.printed')}</p>
        ) : (
          <p className="ticket-printer-problem" role="alert" data-testid="ticket-printer-problem">
            {t(`printer.${ticket.printed.reason}`, { defaultValue: t('printer.other') })}
          </p>
        )}
        {ticket.qrDataUrl !== null && ticket.qrUrl !== null && (
          <figure className="ticket-qr">
            <img src={ticket.qrDataUrl} alt={t('result.qrAlt')} data-url={ticket.qrUrl} data-testid="ticket-qr" />
            <figcaption>{t('result.qr')}</figcaption>
          </figure>
        )}
        <button type="button" className="touch primary ticket-done" onClick={onDone} data-testid="ticket-done">
          {t('result.done')}
        </button>
        {byItself && <p className="ticket-auto-return">{t('result.autoReturn', { seconds: Math.max(seconds, 0) })}</p>}
      </div>
    </section>
  );
}

function MyTickets({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation('ticket');
  const api = useApi();
  const [tickets, setTickets] = useState<QueueTicketView[]>();
  useEffect(() => {
    void api.call('queue.myTickets', {}).then((result) => setTickets(result.ok ? result.value : []));
  }, [api]);
  return (
    <section className="ticket-mine" data-testid="ticket-mine-list">
      <h1 className="screen-title">{t('mine.title')}</h1>
      {tickets === undefined && <div className="spinner" />}
      {tickets?.length === 0 && <p>{t('mine.empty')}</p>}
      <ul className="ticket-mine-items">
        {tickets?.map((ticket) => (
          <li key={ticket.id} className="ticket-mine-item">
            <span className="ticket-mine-number">{ticket.number}</span>
            <span>{ticket.serviceName ?? ticket.categoryName}</span>
            <span>{t(`mine.status.${ticket.status}`, { window: ticket.calledWindow ?? '' })}</span>
            {ticket.status === 'waiting' && ticket.peopleAhead !== null && <span>{t('waiting', { count: ticket.peopleAhead })}</span>}
          </li>
        ))}
      </ul>
      <button type="button" className="touch" onClick={onBack} data-testid="ticket-mine-back">
        {t('error.back')}
      </button>
    </section>
  );
}

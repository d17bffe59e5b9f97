import { StrictMode, useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { createRoot } from 'react-dom/client';
import { CounterSession, type MethodName, type QueueSnapshot } from '../../hall/protocol/index.js';
import { forgetPageKey, type HallParams, type HallReply } from './hallClient.js';
import { createHallI18n, switchLocale } from './i18n.js';
import { useHallLink } from './useHallLink.js';
import './counter.css';

/**
 * The counter page (窗口叫号), served by the hall service at /counter/: staff
 * choose their window, log in with their staff id and PIN (big PIN pad), then
 * call next, recall, skip, re-queue a skipped number (过号顺延, within the
 * grace), transfer and finish. It shows the ticket at the window and how many
 * wait in its category, refreshed live from ticket events; during an outage
 * of the service it says so and reconnects by itself. zh-CN and English.
 */
/** The hall service's grace for a skipped number (hall/service.ts DEFAULT_RULES.graceMinutes). */
const GRACE_MINUTES = 30;
const SESSION_KEY = 'liuliu.counter.session';
const PIN_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'] as const;

function storedSession(): CounterSession | null {
  try {
    const raw = window.sessionStorage.getItem(SESSION_KEY);
    if (raw === null) return null;
    const parsed = CounterSession.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function CounterApp() {
  const { t, i18n } = useTranslation();
  const { setKey, state, snapshot, link, refresh, keyPrompt } = useHallLink('counter');
  const [session, setSession] = useState<CounterSession | null>(storedSession);

  const keep = (next: CounterSession | null): void => {
    if (next === null) window.sessionStorage.removeItem(SESSION_KEY);
    else window.sessionStorage.setItem(SESSION_KEY, JSON.stringify(next));
    setSession(next);
  };

  if (keyPrompt !== null) return keyPrompt;
  const call: Call = (method, params) => link.current?.call(method, params) ?? Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'not connected' } });

  return (
    <main className="counter" data-testid="counter-page" data-link={state}>
      <header className="counter-bar">
        <span>{t('counter.title')}</span>
        <span className={`counter-link counter-link-${state}`}>{state === 'open' ? t('counter.connected') : t('counter.connecting')}</span>
        <button type="button" className="counter-small" onClick={() => switchLocale(i18n)} data-testid="counter-language">
          {t('language')}
        </button>
        <button
          type="button"
          className="counter-small"
          onClick={() => {
            forgetPageKey('counter');
            keep(null);
            setKey(null);
          }}
        >
          {t('counter.changeKey')}
        </button>
      </header>
      {state !== 'open' && snapshot !== undefined && (
        <p className="counter-outage" role="alert" data-testid="counter-outage">
          {t('outage')}
        </p>
      )}
      {snapshot === undefined ? (
        <p className="counter-wait">{t('counter.connecting')}</p>
      ) : session === null ? (
        <Login snapshot={snapshot} call={call} onLogin={keep} />
      ) : (
        <Desk snapshot={snapshot} session={session} call={call} onLogout={() => keep(null)} refresh={refresh} />
      )}
    </main>
  );
}

type Call = <M extends MethodName>(method: M, params: HallParams<M>) => Promise<HallReply<M>>;

/** A refusal in the page's language: by its code, the service's own message when the code is not known here. */
function useProblem(): (error: { code: string; message: string }) => string {
  const { t, i18n } = useTranslation();
  return (error) => (i18n.exists(`errors.${error.code}`) ? t(`errors.${error.code}`) : error.message);
}

function Login({ snapshot, call, onLogin }: { snapshot: QueueSnapshot; call: Call; onLogin: (session: CounterSession) => void }) {
  const { t } = useTranslation();
  const problemText = useProblem();
  const [categoryId, setCategoryId] = useState<string>();
  const [windowNo, setWindowNo] = useState<string>();
  const [staffId, setStaffId] = useState('');
  const [pin, setPin] = useState('');
  const [problem, setProblem] = useState<string>();
  const category = snapshot.categories.find((c) => c.id === categoryId);

  const press = (pressed: (typeof PIN_KEYS)[number]): void => {
    setProblem(undefined);
    if (pressed === 'clear') setPin('');
    else if (pressed === 'back') setPin((p) => p.slice(0, -1));
    else setPin((p) => (p.length < 12 ? p + pressed : p));
  };

  const login = async (): Promise<void> => {
    if (windowNo === undefined) return;
    const result = await call('counterLogin', { windowNo, staffId: staffId.trim(), pin });
    setPin('');
    if (result.ok) onLogin(result.value);
    else setProblem(problemText(result.error));
  };

  if (category === undefined) {
    return (
      <section>
        <h1>{t('counter.chooseCategory')}</h1>
        <div className="counter-grid">
          {snapshot.categories.map((c) => (
            <button type="button" key={c.id} className="counter-button" onClick={() => setCategoryId(c.id)} data-testid={`counter-category-${c.id}`}>
              {c.prefix} · {c.name}
            </button>
          ))}
        </div>
      </section>
    );
  }
  if (windowNo === undefined) {
    return (
      <section>
        <h1>{t('counter.chooseWindow', { category: category.name })}</h1>
        <div className="counter-grid">
          {category.windows.map((w) => (
            <button type="button" key={w} className="counter-button" onClick={() => setWindowNo(w)} data-testid={`counter-window-${w}`}>
              {t('counter.window', { windowNo: w })}
            </button>
          ))}
        </div>
        <button type="button" className="counter-small" onClick={() => setCategoryId(undefined)}>
          {t('counter.back')}
        </button>
      </section>
    );
  }
  return (
    <section className="counter-login">
      <h1>{t('counter.loginTitle', { windowNo })}</h1>
      <label className="counter-field">
        {t('counter.staffId')}
        <input value={staffId} onChange={(e) => setStaffId(e.target.value)} autoComplete="off" data-testid="counter-staff" />
      </label>
      <output className="counter-pin" data-testid="counter-pin-dots">
        {'●'.repeat(pin.length) || t('counter.enterPin')}
      </output>
      <div className="counter-pinpad">
        {PIN_KEYS.map((k) => (
          <button type="button" key={k} className="counter-button" onClick={() => press(k)} data-testid={`counter-pin-${k}`}>
            {k === 'clear' ? t('counter.clear') : k === 'back' ? '⌫' : k}
          </button>
        ))}
      </div>
      {problem !== undefined && (
        <p className="counter-problem" role="alert">
          {problem}
        </p>
      )}
      <div className="counter-row">
        <button type="button" className="counter-button" onClick={() => setWindowNo(undefined)}>
          {t('counter.back')}
        </button>
        <button type="button" className="counter-button primary" disabled={staffId.trim() === '' || pin.length < 4} onClick={() => void login()} data-testid="counter-login">
          {t('counter.login')}
        </button>
      </div>
    </section>
  );
}

function Desk({ snapshot, session, call, onLogout, refresh }: { snapshot: QueueSnapshot; session: CounterSession; call: Call; onLogout: () => void; refresh: () => void }) {
  const { t } = useTranslation();
  const problemText = useProblem();
  const [message, setMessage] = useState<string>();
  const [mode, setMode] = useState<'actions' | 'transfer' | 'requeue'>('actions');
  const [requeueNo, setRequeueNo] = useState('');
  const category = snapshot.categories.find((c) => c.id === session.categoryId);
  const here = snapshot.windows.find((w) => w.windowNo === session.windowNo);
  const current = here?.current ?? null;

  const token = session.token;
  /** Shows what happened; a login that ended (new day, replaced at this window) goes back to the login. */
  const report = <T,>(result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }, describe: (value: T) => string): void => {
    if (!result.ok) {
      setMessage(problemText(result.error));
      if (result.error.code === 'not-logged-in') onLogout();
      return;
    }
    setMessage(describe(result.value));
    refresh();
  };

  return (
    <section className="counter-desk">
      <p className="counter-who" data-testid="counter-who">
        {t('counter.who', { windowNo: session.windowNo, category: category?.name ?? session.categoryId, staffId: session.staffId })}
      </p>
      <p className="counter-current-label">{t('counter.currentLabel')}</p>
      <p className="counter-current" data-testid="counter-current">
        {current ?? '—'}
      </p>
      <p className="counter-waiting" data-testid="counter-waiting">
        {t('counter.waiting', { count: category?.waiting ?? 0 })}
        {category !== undefined && category.priorityWaiting > 0 ? t('counter.priorityWaiting', { count: category.priorityWaiting }) : ''}
      </p>
      {message !== undefined && (
        <p className="counter-message" role="status" data-testid="counter-message">
          {message}
        </p>
      )}
      {mode === 'transfer' ? (
        <div className="counter-grid">
          {snapshot.categories
            .filter((c) => c.id !== session.categoryId)
            .map((c) => (
              <button
                type="button"
                key={c.id}
                className="counter-button"
                onClick={() => {
                  setMode('actions');
                  void call('transfer', { token, toCategoryId: c.id }).then((r) => report(r, (ticket) => t('counter.transferred', { no: ticket.displayNo, category: c.name })));
                }}
              >
                {c.name}
              </button>
            ))}
          <button type="button" className="counter-button" onClick={() => setMode('actions')}>
            {t('counter.cancel')}
          </button>
        </div>
      ) : mode === 'requeue' ? (
        <form
          className="counter-requeue"
          onSubmit={(event) => {
            event.preventDefault();
            const displayNo = requeueNo.trim().toUpperCase();
            setMode('actions');
            setRequeueNo('');
            void call('requeue', { token, displayNo }).then((r) => report(r, (ticket) => t('counter.requeued', { no: ticket.displayNo })));
          }}
        >
          <label className="counter-field">
            {t('counter.requeuePrompt', { grace: GRACE_MINUTES })}
            <input value={requeueNo} onChange={(e) => setRequeueNo(e.target.value)} maxLength={6} autoComplete="off" data-testid="counter-requeue-number" />
          </label>
          <div className="counter-row">
            <button type="button" className="counter-button" onClick={() => setMode('actions')}>
              {t('counter.cancel')}
            </button>
            <button type="submit" className="counter-button primary" disabled={!/^[A-Za-z]\d{3,4}$/.test(requeueNo.trim())} data-testid="counter-requeue-confirm">
              {t('counter.requeueConfirm')}
            </button>
          </div>
        </form>
      ) : (
        <div className="counter-actions">
          <button
            type="button"
            className="counter-button primary big"
            onClick={() => void call('callNext', { token }).then((r) => report(r, (v) => (v.called === null ? t('counter.nobodyWaiting') : t('counter.called', { no: v.called.displayNo }))))}
            data-testid="counter-call-next"
          >
            {t('counter.callNext')}
          </button>
          <button type="button" className="counter-button" disabled={current === null} onClick={() => void call('recall', { token }).then((r) => report(r, (ticket) => t('counter.recalled', { no: ticket.displayNo })))} data-testid="counter-recall">
            {t('counter.recall')}
          </button>
          <button
            type="button"
            className="counter-button"
            disabled={current === null}
            onClick={() => void call('skip', { token }).then((r) => report(r, (ticket) => t('counter.skipped', { no: ticket.displayNo, grace: GRACE_MINUTES })))}
            data-testid="counter-skip"
          >
            {t('counter.skip')}
          </button>
          <button type="button" className="counter-button" onClick={() => setMode('requeue')} data-testid="counter-requeue">
            {t('counter.requeue')}
          </button>
          <button type="button" className="counter-button" disabled={current === null} onClick={() => setMode('transfer')} data-testid="counter-transfer">
            {t('counter.transfer')}
          </button>
          <button type="button" className="counter-button" disabled={current === null} onClick={() => void call('finish', { token }).then((r) => report(r, (ticket) => t('counter.finished', { no: ticket.displayNo })))} data-testid="counter-finish">
            {t('counter.finish')}
          </button>
          <button type="button" className="counter-small" onClick={() => void call('counterLogout', { token }).finally(onLogout)} data-testid="counter-logout">
            {t('counter.logout')}
          </button>
        </div>
      )}
    </section>
  );
}

const root = document.getElementById('root');
if (root !== null) {
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={createHallI18n()}>
        <CounterApp />
      </I18nextProvider>
    </StrictMode>,
  );
}

import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { createHallPageI18n, hallErrorKey, hallPageLanguage } from './i18n.js';
import { forgetPageKey, type HallResult, type HallSnapshot, type HallTicket } from './hallClient.js';
import { useHallLink } from './useHallLink.js';
import './counter.css';

/**
 * The counter page (窗口叫号), served by the hall service at /counter/: staff
 * choose their window, log in with their staff id and PIN (big PIN pad), then
 * call next, recall, skip, transfer and finish. It shows the ticket at the
 * window and how many wait in its category, refreshed live from ticket events.
 */
interface CounterSession {
  token: string;
  windowNo: string;
  staffId: string;
  categoryId: string;
}

const SESSION_KEY = 'liuliu.counter.session';
const PIN_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'] as const;

function storedSession(): CounterSession | null {
  try {
    const raw = window.sessionStorage.getItem(SESSION_KEY);
    return raw === null ? null : (JSON.parse(raw) as CounterSession);
  } catch {
    return null;
  }
}

function CounterApp() {
  const { t } = useTranslation();
  const { setKey, state, snapshot, link, refresh, keyPrompt } = useHallLink('counter');
  const [session, setSession] = useState<CounterSession | null>(storedSession);

  const keep = (next: CounterSession | null): void => {
    if (next === null) window.sessionStorage.removeItem(SESSION_KEY);
    else window.sessionStorage.setItem(SESSION_KEY, JSON.stringify(next));
    setSession(next);
  };

  if (keyPrompt !== null) return keyPrompt;
  const call = <T,>(method: string, params: Record<string, unknown>): Promise<HallResult<T>> =>
    link.current?.call<T>(method, params) ?? Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'not connected' } });

  return (
    <main className="counter" data-testid="counter-page" data-link={state}>
      <header className="counter-bar">
        <span>{t('counter.title')}</span>
        <span className={`counter-link counter-link-${state}`}>{state === 'open' ? t('counter.linkOpen') : t('counter.linkConnecting')}</span>
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

type Call = <T>(method: string, params: Record<string, unknown>) => Promise<HallResult<T>>;

function Login({ snapshot, call, onLogin }: { snapshot: HallSnapshot; call: Call; onLogin: (session: CounterSession) => void }) {
  const { t } = useTranslation();
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
    const result = await call<CounterSession>('counterLogin', { windowNo, staffId: staffId.trim(), pin });
    setPin('');
    if (result.ok) onLogin(result.value);
    else setProblem(t(hallErrorKey(result.error.code)));
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
              {t('counter.window', { no: w })}
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
      <h1>{t('counter.loginTitle', { no: windowNo })}</h1>
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

function Desk({ snapshot, session, call, onLogout, refresh }: { snapshot: HallSnapshot; session: CounterSession; call: Call; onLogout: () => void; refresh: () => void }) {
  const { t } = useTranslation();
  const [message, setMessage] = useState<string>();
  const [transferring, setTransferring] = useState(false);
  const category = snapshot.categories.find((c) => c.id === session.categoryId);
  const here = snapshot.windows.find((w) => w.windowNo === session.windowNo);
  const current = here?.current ?? null;

  const act = async (method: string, params: Record<string, unknown> = {}, describe?: (value: unknown) => string): Promise<void> => {
    const result = await call<unknown>(method, { token: session.token, ...params });
    if (!result.ok) {
      setMessage(t(hallErrorKey(result.error.code)));
      // The login ended (new day, replaced at this window): back to the login.
      if (result.error.code === 'not-logged-in') onLogout();
      return;
    }
    setMessage(describe?.(result.value));
    refresh();
  };

  return (
    <section className="counter-desk">
      <p className="counter-who" data-testid="counter-who">
        {t('counter.who', { no: session.windowNo, category: category?.name ?? session.categoryId, staff: session.staffId })}
      </p>
      <p className="counter-current-label">{t('counter.current')}</p>
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
      {transferring ? (
        <div className="counter-grid">
          {snapshot.categories
            .filter((c) => c.id !== session.categoryId)
            .map((c) => (
              <button
                type="button"
                key={c.id}
                className="counter-button"
                onClick={() => {
                  setTransferring(false);
                  void act('transfer', { toCategoryId: c.id }, () => t('counter.transferred', { no: current ?? '', category: c.name }));
                }}
              >
                {c.name}
              </button>
            ))}
          <button type="button" className="counter-button" onClick={() => setTransferring(false)}>
            {t('counter.cancel')}
          </button>
        </div>
      ) : (
        <div className="counter-actions">
          <button
            type="button"
            className="counter-button primary big"
            onClick={() => void act('callNext', {}, (v) => ((v as { called: HallTicket | null }).called === null ? t('counter.nobodyWaiting') : t('counter.called', { no: (v as { called: HallTicket }).called.displayNo })))}
            data-testid="counter-call-next"
          >
            {t('counter.callNext')}
          </button>
          <button type="button" className="counter-button" disabled={current === null} onClick={() => void act('recall', {}, (v) => t('counter.recalled', { no: (v as HallTicket).displayNo }))} data-testid="counter-recall">
            {t('counter.recall')}
          </button>
          <button type="button" className="counter-button" disabled={current === null} onClick={() => void act('skip', {}, (v) => t('counter.skipped', { no: (v as HallTicket).displayNo }))} data-testid="counter-skip">
            {t('counter.skip')}
          </button>
          <button type="button" className="counter-button" disabled={current === null} onClick={() => setTransferring(true)} data-testid="counter-transfer">
            {t('counter.transfer')}
          </button>
          <button type="button" className="counter-button" disabled={current === null} onClick={() => void act('finish', {}, (v) => t('counter.finished', { no: (v as HallTicket).displayNo }))} data-testid="counter-finish">
            {t('counter.finish')}
          </button>
          <button
            type="button"
            className="counter-small"
            onClick={() => {
              void call('counterLogout', { token: session.token }).finally(onLogout);
            }}
            data-testid="counter-logout"
          >
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
      <I18nextProvider i18n={createHallPageI18n(hallPageLanguage(window.location.search))}>
        <CounterApp />
      </I18nextProvider>
    </StrictMode>,
  );
}

import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { CounterSession, type MethodName, type QueueSnapshot } from '../../hall/protocol/index.js';
import { forgetPageKey, type HallParams, type HallReply } from './hallClient.js';
import { useHallLink } from './useHallLink.js';
import './counter.css';

/**
 * The counter page (窗口叫号), served by the hall service at /counter/: staff
 * choose their window, log in with their staff id and PIN (big PIN pad), then
 * call next, recall, skip, transfer and finish. It shows the ticket at the
 * window and how many wait in its category, refreshed live from ticket events.
 */
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
  const { setKey, state, snapshot, link, refresh, keyPrompt } = useHallLink('counter');
  const [session, setSession] = useState<CounterSession | null>(storedSession);

  const keep = (next: CounterSession | null): void => {
    if (next === null) window.sessionStorage.removeItem(SESSION_KEY);
    else window.sessionStorage.setItem(SESSION_KEY, JSON.stringify(next));
    setSession(next);
  };

  if (keyPrompt !== null) return keyPrompt;
  const call: Call = (method, params) => link.current?.call(method, params) ?? Promise.resolve({ ok: false, error: { code: 'unavailable', message: '未连接' } });

  return (
    <main className="counter" data-testid="counter-page" data-link={state}>
      <header className="counter-bar">
        <span>窗口叫号</span>
        <span className={`counter-link counter-link-${state}`}>{state === 'open' ? '已连接' : '正在连接叫号服务…'}</span>
        <button
          type="button"
          className="counter-small"
          onClick={() => {
            forgetPageKey('counter');
            keep(null);
            setKey(null);
          }}
        >
          更换页面密钥
        </button>
      </header>
      {snapshot === undefined ? (
        <p className="counter-wait">正在连接…</p>
      ) : session === null ? (
        <Login snapshot={snapshot} call={call} onLogin={keep} />
      ) : (
        <Desk snapshot={snapshot} session={session} call={call} onLogout={() => keep(null)} refresh={refresh} />
      )}
    </main>
  );
}

type Call = <M extends MethodName>(method: M, params: HallParams<M>) => Promise<HallReply<M>>;

function Login({ snapshot, call, onLogin }: { snapshot: QueueSnapshot; call: Call; onLogin: (session: CounterSession) => void }) {
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
    else setProblem(result.error.message);
  };

  if (category === undefined) {
    return (
      <section>
        <h1>请选择您的业务类别</h1>
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
        <h1>{category.name}：请选择窗口</h1>
        <div className="counter-grid">
          {category.windows.map((w) => (
            <button type="button" key={w} className="counter-button" onClick={() => setWindowNo(w)} data-testid={`counter-window-${w}`}>
              {w}号窗口
            </button>
          ))}
        </div>
        <button type="button" className="counter-small" onClick={() => setCategoryId(undefined)}>
          返回
        </button>
      </section>
    );
  }
  return (
    <section className="counter-login">
      <h1>{windowNo}号窗口 登录</h1>
      <label className="counter-field">
        工号
        <input value={staffId} onChange={(e) => setStaffId(e.target.value)} autoComplete="off" data-testid="counter-staff" />
      </label>
      <output className="counter-pin" data-testid="counter-pin-dots">
        {'●'.repeat(pin.length) || '请输入密码'}
      </output>
      <div className="counter-pinpad">
        {PIN_KEYS.map((k) => (
          <button type="button" key={k} className="counter-button" onClick={() => press(k)} data-testid={`counter-pin-${k}`}>
            {k === 'clear' ? '清除' : k === 'back' ? '⌫' : k}
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
          返回
        </button>
        <button type="button" className="counter-button primary" disabled={staffId.trim() === '' || pin.length < 4} onClick={() => void login()} data-testid="counter-login">
          登录
        </button>
      </div>
    </section>
  );
}

function Desk({ snapshot, session, call, onLogout, refresh }: { snapshot: QueueSnapshot; session: CounterSession; call: Call; onLogout: () => void; refresh: () => void }) {
  const [message, setMessage] = useState<string>();
  const [transferring, setTransferring] = useState(false);
  const category = snapshot.categories.find((c) => c.id === session.categoryId);
  const here = snapshot.windows.find((w) => w.windowNo === session.windowNo);
  const current = here?.current ?? null;

  const token = session.token;
  /** Shows what happened; a login that ended (new day, replaced at this window) goes back to the login. */
  const report = <T,>(result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }, describe: (value: T) => string): void => {
    if (!result.ok) {
      setMessage(result.error.message);
      if (result.error.code === 'not-logged-in') onLogout();
      return;
    }
    setMessage(describe(result.value));
    refresh();
  };

  return (
    <section className="counter-desk">
      <p className="counter-who" data-testid="counter-who">
        {session.windowNo}号窗口 · {category?.name ?? session.categoryId} · 工号 {session.staffId}
      </p>
      <p className="counter-current-label">当前号码</p>
      <p className="counter-current" data-testid="counter-current">
        {current ?? '—'}
      </p>
      <p className="counter-waiting" data-testid="counter-waiting">
        等候 {category?.waiting ?? 0} 人{category !== undefined && category.priorityWaiting > 0 ? `（优先 ${category.priorityWaiting} 人）` : ''}
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
                  void call('transfer', { token, toCategoryId: c.id }).then((r) => report(r, (t) => `${t.displayNo} 已转至 ${c.name}`));
                }}
              >
                {c.name}
              </button>
            ))}
          <button type="button" className="counter-button" onClick={() => setTransferring(false)}>
            取消
          </button>
        </div>
      ) : (
        <div className="counter-actions">
          <button
            type="button"
            className="counter-button primary big"
            onClick={() => void call('callNext', { token }).then((r) => report(r, (v) => (v.called === null ? '当前无人等候' : `已呼叫 ${v.called.displayNo}`)))}
            data-testid="counter-call-next"
          >
            呼叫下一位
          </button>
          <button type="button" className="counter-button" disabled={current === null} onClick={() => void call('recall', { token }).then((r) => report(r, (t) => `已重呼 ${t.displayNo}`))} data-testid="counter-recall">
            重呼
          </button>
          <button type="button" className="counter-button" disabled={current === null} onClick={() => void call('skip', { token }).then((r) => report(r, (t) => `${t.displayNo} 已过号`))} data-testid="counter-skip">
            过号
          </button>
          <button type="button" className="counter-button" disabled={current === null} onClick={() => setTransferring(true)} data-testid="counter-transfer">
            转移
          </button>
          <button type="button" className="counter-button" disabled={current === null} onClick={() => void call('finish', { token }).then((r) => report(r, (t) => `${t.displayNo} 已办结`))} data-testid="counter-finish">
            办结
          </button>
          <button
            type="button"
            className="counter-small"
            onClick={() => {
              void call('counterLogout', { token }).finally(onLogout);
            }}
            data-testid="counter-logout"
          >
            退出登录
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
      <CounterApp />
    </StrictMode>,
  );
}

import { StrictMode, useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { createRoot } from 'react-dom/client';
import { ManagerSession, rowName, statsCsv, type FigureRow, type HallStats, type QueueErrorCode } from '../../hall/protocol/index.js';
import { connectHall, forgetPageKey, pageKeyFromLocation, rememberPageKey, type HallLink, type LinkState } from '../counter/hallClient.js';
import { switchLocale } from '../counter/i18n.js';
import { KeyPrompt } from '../counter/KeyPrompt.js';
import { FigureChart } from './FigureChart.js';
import { Ratings } from './Ratings.js';
import { createStatsI18n } from './i18n.js';
import './stats.css';

/**
 * The hall manager's statistics page (大厅统计), served by the hall service at
 * /stats/: the stats page key opens a socket that can only log in with the
 * manager PIN and read the figures (hall/protocol/stats.ts). One hall day at a
 * time: charts per hour, tables by category, window and hour, ratings by
 * department (`Ratings.tsx`), and the CSV of exactly those rows (`statsCsv`, the one CSV writer). zh-CN and English.
 */
const SESSION_KEY = 'liuliu.stats.session';
const ERROR_KEYS: ReadonlySet<string> = new Set(['bad-credentials', 'not-logged-in', 'unauthorized', 'unavailable', 'bad-request', 'internal']);

function storedSession(): ManagerSession | null {
  try {
    const raw = window.sessionStorage.getItem(SESSION_KEY);
    const parsed = raw === null ? null : ManagerSession.safeParse(JSON.parse(raw));
    return parsed?.success === true && Date.parse(parsed.data.expiresAt) > Date.now() ? parsed.data : null;
  } catch {
    return null;
  }
}

/** `YYYY-MM-DD` plus `days` (calendar arithmetic only; which day is "today" is the service's answer). */
function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function StatsApp() {
  const { t, i18n } = useTranslation('stats');
  const [key, setKey] = useState(() => pageKeyFromLocation('stats'));
  const [state, setState] = useState<LinkState>('connecting');
  const [session, setSession] = useState<ManagerSession | null>(storedSession);
  const link = useRef<HallLink>(undefined);

  useEffect(() => {
    if (key === null) return;
    const connection = connectHall('stats', key, { onState: setState, onEvent: () => undefined });
    link.current = connection;
    return () => connection.close();
  }, [key]);

  const keep = useCallback((next: ManagerSession | null): void => {
    if (next === null) window.sessionStorage.removeItem(SESSION_KEY);
    else window.sessionStorage.setItem(SESSION_KEY, JSON.stringify(next));
    setSession(next);
  }, []);
  const expire = useCallback(() => keep(null), [keep]);

  if (key === null || state === 'unauthorized') {
    return (
      <KeyPrompt
        unauthorized={state === 'unauthorized'}
        onKey={(next) => {
          rememberPageKey('stats', next);
          setState('connecting');
          setKey(next);
        }}
      />
    );
  }
  return (
    <main className="stats" data-testid="stats-page" data-link={state}>
      <header className="stats-bar">
        <h1>{t('title')}</h1>
        <span className={`stats-link stats-link-${state}`}>{state === 'open' ? t('connected') : t('connecting')}</span>
        <button type="button" onClick={() => switchLocale(i18n)} data-testid="stats-language">
          {t('language')}
        </button>
        {session !== null && (
          <button type="button" onClick={() => keep(null)} data-testid="stats-logout">
            {t('logout')}
          </button>
        )}
        <button
          type="button"
          onClick={() => {
            forgetPageKey('stats');
            keep(null);
            setKey(null);
          }}
        >
          {t('changeKey')}
        </button>
      </header>
      {state !== 'open' ? (
        <p className="stats-wait" role="status">
          {t('connecting')}
        </p>
      ) : session === null ? (
        <Login link={link} onLogin={keep} />
      ) : (
        <Figures link={link} token={session.token} onExpired={expire} />
      )}
    </main>
  );
}

function useErrorText() {
  const { t } = useTranslation('stats');
  // Stable while the language is, so the figures' loader (which depends on it) is not re-created on every render.
  return useCallback((code: QueueErrorCode) => t(`errors.${ERROR_KEYS.has(code) ? code : 'internal'}`), [t]);
}

function Login({ link, onLogin }: { link: RefObject<HallLink | undefined>; onLogin: (session: ManagerSession) => void }) {
  const { t } = useTranslation('stats');
  const errorText = useErrorText();
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <form
      className="stats-login"
      onSubmit={(event) => {
        event.preventDefault();
        if (busy || link.current === undefined) return;
        setBusy(true);
        setProblem(null);
        void link.current.call('managerLogin', { pin }).then((reply) => {
          setBusy(false);
          setPin('');
          if (reply.ok) onLogin(reply.value);
          else setProblem(errorText(reply.error.code));
        });
      }}
    >
      <h2>{t('loginTitle')}</h2>
      <label>
        {t('pin')}
        <input type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(event) => setPin(event.target.value.replace(/\D/g, '').slice(0, 12))} data-testid="stats-pin" />
      </label>
      <button type="submit" disabled={busy || pin.length < 4} data-testid="stats-login">
        {busy ? t('loading') : t('login')}
      </button>
      {problem !== null && (
        <p className="stats-problem" role="alert" data-testid="stats-problem">
          {problem}
        </p>
      )}
    </form>
  );
}

const COLUMNS = ['issued', 'served', 'noShows', 'transfers', 'waitP50', 'waitP90', 'serviceP50', 'serviceP90'] as const;

function Figures({ link, token, onExpired }: { link: RefObject<HallLink | undefined>; token: string; onExpired: () => void }) {
  const { t, i18n } = useTranslation('stats');
  const errorText = useErrorText();
  const [day, setDay] = useState<string | undefined>(undefined);
  const [stats, setStats] = useState<HallStats | null>(null);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [hourScope, setHourScope] = useState('hall|');

  const load = useCallback(
    (which: string | undefined) => {
      if (link.current === undefined) return;
      setLoading(true);
      setProblem(null);
      void link.current.call('hallStats', which === undefined ? { token } : { token, from: which, to: which }).then((reply) => {
        setLoading(false);
        if (reply.ok) {
          setStats(reply.value);
          setDay(reply.value.from);
        } else if (reply.error.code === 'not-logged-in') onExpired();
        else setProblem(errorText(reply.error.code));
      });
    },
    [link, token, onExpired, errorText],
  );
  useEffect(() => load(undefined), [load]);

  const name = (row: Pick<FigureRow, 'scope' | 'key'>): string => {
    if (row.scope === 'hall') return t('wholeHall');
    if (row.scope === 'window') return t('windowNo', { windowNo: row.key });
    return stats === null ? row.key : rowName(stats, row);
  };
  const dayRows = useMemo(() => stats?.rows.filter((r) => r.hour === null) ?? [], [stats]);
  const hourRows = useMemo(() => stats?.rows.filter((r) => r.hour !== null) ?? [], [stats]);
  const hourScopes = useMemo(() => [...new Set(hourRows.map((r) => `${r.scope}|${r.key}`))], [hourRows]);
  const hallHours = hourRows.filter((r) => r.scope === 'hall');
  const hourLabels = hallHours.map((r) => t('hourLabel', { hour: r.hour }));
  const shownHours = hourRows.filter((r) => `${r.scope}|${r.key}` === hourScope);

  const download = (): void => {
    if (stats === null) return;
    // The same rows the page shows, written by the one CSV function; a BOM so spreadsheet programs read the Chinese names.
    const blob = new Blob([`\uFEFF${statsCsv(stats)}`], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = `hall-stats-${stats.from}.csv`;
    anchor.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const table = (rows: readonly FigureRow[], testId: string, first: 'name' | 'hour') => (
    <table className="stats-table" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">{t(`columns.${first}`)}</th>
          {COLUMNS.map((c) => (
            <th scope="col" key={c}>
              {t(`columns.${c}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={`${row.day}|${row.hour ?? ''}|${row.scope}|${row.key}`} data-row={`${row.day}|${row.hour ?? ''}|${row.scope}|${row.key}`}>
            <th scope="row">{first === 'hour' ? t('hourLabel', { hour: row.hour }) : name(row)}</th>
            {COLUMNS.map((c) => (
              <td key={c} data-col={c}>
                {row[c] ?? t('none')}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );

  return (
    <section className="stats-body" aria-busy={loading}>
      <div className="stats-tools">
        <button type="button" disabled={day === undefined || loading} onClick={() => day !== undefined && load(shiftDay(day, -1))} data-testid="stats-previous">
          {t('previousDay')}
        </button>
        <label>
          {t('day')}
          <input type="date" value={day ?? ''} onChange={(event) => /^\d{4}-\d{2}-\d{2}$/.test(event.target.value) && load(event.target.value)} data-testid="stats-day" />
        </label>
        <button type="button" disabled={day === undefined || loading} onClick={() => day !== undefined && load(shiftDay(day, 1))} data-testid="stats-next">
          {t('nextDay')}
        </button>
        <button type="button" disabled={loading} onClick={() => load(day)}>
          {t('refresh')}
        </button>
        <button type="button" className="primary" disabled={stats === null || loading} onClick={download} data-testid="stats-csv">
          {t('exportCsv')}
        </button>
        {loading && (
          <span className="stats-loading" role="status">
            {t('loading')}
          </span>
        )}
        {stats !== null && <span className="stats-generated">{t('generatedAt', { at: new Date(stats.generatedAt).toLocaleString(i18n.language, { timeZone: 'Asia/Shanghai' }) })}</span>}
      </div>
      {problem !== null && (
        <p className="stats-problem" role="alert">
          {problem}
        </p>
      )}
      {stats !== null && (
        <>
          <div className="stats-charts">
            <FigureChart
              title={t('chartCounts')}
              kind="bar"
              labels={hourLabels}
              series={[
                { label: t('columns.issued'), values: hallHours.map((r) => r.issued), color: '#0b4aa2' },
                { label: t('columns.served'), values: hallHours.map((r) => r.served), color: '#1b7a3a' },
              ]}
            />
            <FigureChart
              title={t('chartTimes')}
              kind="line"
              labels={hourLabels}
              series={[
                { label: t('columns.waitP50'), values: hallHours.map((r) => r.waitP50), color: '#0b4aa2' },
                { label: t('columns.waitP90'), values: hallHours.map((r) => r.waitP90), color: '#c8102e' },
              ]}
            />
          </div>
          <div className="stats-tables">
            <div>
              <h2>{t('byCategory')}</h2>
              {table(
                dayRows.filter((r) => r.scope !== 'window'),
                'stats-categories',
                'name',
              )}
              <h2>{t('byWindow')}</h2>
              {dayRows.some((r) => r.scope === 'window') ? table(
                dayRows.filter((r) => r.scope === 'window'),
                'stats-windows',
                'name',
              ) : <p>{t('noWindows')}</p>}
            </div>
            <div>
              <h2>
                {t('byHour')}{' '}
                <label className="stats-scope">
                  {t('hourScope')}
                  <select value={hourScope} onChange={(event) => setHourScope(event.target.value)} data-testid="stats-hour-scope">
                    {hourScopes.map((scope) => {
                      const [kind, scopeKey] = scope.split('|') as [FigureRow['scope'], string];
                      return (
                        <option key={scope} value={scope}>
                          {name({ scope: kind, key: scopeKey })}
                        </option>
                      );
                    })}
                  </select>
                </label>
              </h2>
              {table(shownHours, 'stats-hours', 'hour')}
            </div>
          </div>
          <p className="stats-legend">{t('legend')}</p>
          <Ratings stats={stats} />
        </>
      )}
    </section>
  );
}

const i18n = createStatsI18n();
document.documentElement.lang = i18n.language;
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <StatsApp />
    </I18nextProvider>
  </StrictMode>,
);

import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorShape, DeadLetterView, DeviceStatus, SyncStatusView } from '../../../../electron/contract/index.js';
import { useApi, useEvent } from '../../app/api.js';
import { useNavigation } from '../../app/navigation.js';
import { HelpRequestsPanel } from '../robot/HelpRequestsPanel.js';
import { OperationsPanel } from './OperationsPanel.js';
import { QrLinkCard } from './QrLinkCard.js';
import './staff.css';
import { useSay } from '../../i18n/say.js';

/**
 * The staff screen, reached by holding the hall name on the attract screen:
 * a PIN pad, then device health, the platform sync status with its backlog,
 * "sync now", and the records the platform refused (dead letters). Leaving
 * the screen ends the staff session.
 */
const PIN_MAX = 8;
const PIN_MIN = 4;
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'] as const;

function loginProblem(error: ApiErrorShape): string {
  const reason = error.details?.['reason'];
  return typeof reason === 'string' && ['wrong', 'locked', 'off'].includes(reason) ? `pin.${reason}` : 'pin.failed';
}

function PinPad({ onLoggedIn }: { onLoggedIn: () => void }) {
  const { t } = useTranslation('staff');
  const say = useSay();
  const api = useApi();
  const [pin, setPin] = useState('');
  const [problem, setProblem] = useState<{ key: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const press = (key: (typeof KEYS)[number]): void => {
    setProblem(null);
    if (key === 'clear') setPin('');
    else if (key === 'back') setPin((value) => value.slice(0, -1));
    else setPin((value) => (value.length < PIN_MAX ? value + key : value));
  };
  const submit = async (): Promise<void> => {
    setBusy(true);
    const result = await api.call('staff.login', { pin });
    setBusy(false);
    setPin('');
    if (result.ok) onLoggedIn();
    else setProblem({ key: loginProblem(result.error), message: say(result.error) });
  };

  return (
    <section className="staff-pin" aria-label={t('pin.title')}>
      <h2 className="screen-title">{t('pin.title')}</h2>
      <p className="staff-pin-hint">{t('pin.hint')}</p>
      <div className="staff-pin-dots" data-testid="staff-pin-dots" aria-hidden>
        {Array.from({ length: Math.max(PIN_MIN, pin.length) }, (_, i) => (
          <span key={i} className={i < pin.length ? 'staff-dot is-filled' : 'staff-dot'} />
        ))}
      </div>
      <p className="visually-hidden" aria-live="polite">
        {t('pin.entered', { count: pin.length })}
      </p>
      <div className="staff-keypad">
        {KEYS.map((key) => (
          <button type="button" key={key} className={`touch staff-key${key === 'clear' || key === 'back' ? ' is-word' : ''}`} onClick={() => press(key)} data-testid={`staff-key-${key}`} disabled={busy}>
            {key === 'clear' ? t('pin.clear') : key === 'back' ? t('pin.back') : key}
          </button>
        ))}
      </div>
      <button type="button" className="touch primary staff-submit" onClick={() => void submit()} disabled={busy || pin.length < PIN_MIN} data-testid="staff-pin-submit">
        {t('pin.submit')}
      </button>
      {problem && (
        <p className="staff-problem" role="alert" data-testid="staff-pin-error">
          {t(problem.key, { message: problem.message })}
        </p>
      )}
    </section>
  );
}

function Dashboard({ onExpired }: { onExpired: () => void }) {
  const { t, i18n } = useTranslation('staff');
  const say = useSay();
  const api = useApi();
  const [devices, setDevices] = useState<DeviceStatus[]>([]);
  const [sync, setSync] = useState<SyncStatusView>();
  const [letters, setLetters] = useState<DeadLetterView[]>();
  const [syncing, setSyncing] = useState(false);
  const [syncProblem, setSyncProblem] = useState<string | null>(null);
  const time = (iso: string | null): string => (iso === null ? t('sync.never') : new Date(iso).toLocaleString(i18n.language, { hour12: false }));

  const load = useCallback(() => Promise.all([api.call('devices.status', {}), api.call('sync.status', {}), api.call('sync.deadLetters', {})]), [api]);
  const show = useCallback(
    ([deviceList, status, dead]: Awaited<ReturnType<typeof load>>) => {
      if (deviceList.ok) setDevices(deviceList.value);
      if (status.ok) setSync(status.value);
      if (dead.ok) setLetters(dead.value);
      else if (dead.error.details?.['reason'] === 'staff') onExpired();
    },
    [onExpired],
  );

  useEffect(() => {
    let live = true;
    void load().then((answers) => {
      if (live) show(answers);
    });
    return () => {
      live = false;
    };
  }, [load, show]);
  useEvent(
    'device.status',
    useCallback((status: DeviceStatus) => setDevices((list) => [...list.filter((d) => d.device !== status.device), status]), []),
  );
  useEvent('sync.status', setSync);

  const syncNow = async (): Promise<void> => {
    setSyncing(true);
    setSyncProblem(null);
    const result = await api.call('sync.now', {});
    setSyncing(false);
    if (result.ok) {
      setSync(result.value);
      show(await load());
    } else if (result.error.details?.['reason'] === 'staff') onExpired();
    else setSyncProblem(say(result.error));
  };

  const sorted = [...devices].sort((a, b) => a.device.localeCompare(b.device));
  return (
    <div className="staff-dashboard">
      <section className="staff-card" aria-labelledby="staff-devices">
        <h2 id="staff-devices">{t('devices.title')}</h2>
        <ul className="staff-devices" data-testid="staff-devices">
          {sorted.map((device) => (
            <li key={device.device} className={`staff-device is-${device.state}`} data-testid={`staff-device-${device.device}`} data-state={device.state}>
              <span className="staff-device-name">{t(`devices.names.${device.device}`)}</span>
              <span className="staff-device-state">{t(`devices.states.${device.state}`)}</span>
              {device.reason && <span className="staff-device-reason">{say(device.reason)}</span>}
            </li>
          ))}
        </ul>
      </section>

      <QrLinkCard method="queue.ticketLink" keys="ticketQr" testId="staff-ticket-qr" />

      <QrLinkCard method="feedback.slipLink" keys="slipQr" testId="staff-slip-qr" />

      <HelpRequestsPanel onExpired={onExpired} />

      <OperationsPanel onExpired={onExpired} />

      <section className="staff-card" aria-labelledby="staff-sync" data-testid="staff-sync">
        <h2 id="staff-sync">{t('sync.title')}</h2>
        {sync && (
          <dl className="staff-facts">
            <dt>{t('sync.state')}</dt>
            <dd data-testid="staff-sync-state" data-online={sync.online}>
              {!sync.configured ? t('sync.notConfigured') : sync.online ? t('sync.online') : t('sync.offline')}
            </dd>
            <dt>{t('sync.backlog')}</dt>
            <dd data-testid="staff-sync-backlog">{sync.backlog}</dd>
            <dt>{t('sync.deadLetters')}</dt>
            <dd data-testid="staff-sync-dead">{sync.deadLetters}</dd>
            <dt>{t('sync.lastSyncAt')}</dt>
            <dd data-testid="staff-sync-last">{time(sync.lastSyncAt)}</dd>
            {sync.lastError && (
              <>
                <dt>{t('sync.lastError')}</dt>
                <dd className="staff-problem">{sync.lastError}</dd>
              </>
            )}
          </dl>
        )}
        <button type="button" className="touch primary staff-sync-now" onClick={() => void syncNow()} disabled={syncing || sync?.configured === false} data-testid="staff-sync-now">
          {syncing ? t('sync.syncing') : t('sync.now')}
        </button>
        {syncProblem && (
          <p className="staff-problem" role="alert">
            {t('sync.failed', { message: syncProblem })}
          </p>
        )}
      </section>

      <section className="staff-card" aria-labelledby="staff-dead">
        <h2 id="staff-dead">{t('dead.title')}</h2>
        {letters && letters.length === 0 && <p data-testid="staff-dead-empty">{t('dead.empty')}</p>}
        {letters && letters.length > 0 && (
          <table className="staff-dead" data-testid="staff-dead-letters">
            <thead>
              <tr>
                <th>{t('dead.id')}</th>
                <th>{t('dead.kind')}</th>
                <th>{t('dead.reason')}</th>
                <th>{t('dead.time')}</th>
              </tr>
            </thead>
            <tbody>
              {letters.map((letter) => (
                <tr key={letter.id}>
                  <td className="staff-mono">{letter.id}</td>
                  <td>{letter.kind}</td>
                  <td>{letter.reason}</td>
                  <td>{time(letter.deadAt ?? letter.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

export function StaffScreen() {
  const { t } = useTranslation('staff');
  const api = useApi();
  const { navigate } = useNavigation();
  const [loggedIn, setLoggedIn] = useState(false);
  const [expired, setExpired] = useState(false);
  const onExpired = useCallback(() => {
    setLoggedIn(false);
    setExpired(true);
  }, []);

  // Leaving the screen, whichever way, ends the staff session.
  useEffect(
    () => () => {
      void api.call('staff.logout', {});
    },
    [api],
  );

  return (
    <main className="staff" data-testid="staff-screen">
      <header className="staff-header">
        <h1 className="staff-title">{t('title')}</h1>
        <button type="button" className="touch staff-exit" onClick={() => navigate('attract')} data-testid="staff-exit">
          {t('exit')}
        </button>
      </header>
      {expired && !loggedIn && <p className="staff-problem">{t('expired')}</p>}
      {loggedIn ? (
        <Dashboard onExpired={onExpired} />
      ) : (
        <PinPad
          onLoggedIn={() => {
            setExpired(false);
            setLoggedIn(true);
          }}
        />
      )}
    </main>
  );
}

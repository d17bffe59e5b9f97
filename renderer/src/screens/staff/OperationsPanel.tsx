import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorShape, LogExportResult, MaintenanceView, OperationsView } from '../../../../electron/contract/index.js';
import { useApi, useEvent } from '../../app/api.js';

/**
 * Staff controls for running the kiosk: out of service (with the desk the
 * notice names) and back, restart, and log export to an offered directory or
 * the platform; with uptime and the supervisor's restart record.
 */
const DESK_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : `${m} min ${seconds % 60} s`;
}

export function OperationsPanel({ onExpired }: { onExpired: () => void }) {
  const { t, i18n } = useTranslation('maintenance');
  const api = useApi();
  const [status, setStatus] = useState<OperationsView>();
  const [desk, setDesk] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmRestart, setConfirmRestart] = useState(false);
  const [restarting, setRestarting] = useState(false);
  const [message, setMessage] = useState<{ text: string; problem: boolean } | null>(null);

  const failed = useCallback(
    (error: ApiErrorShape): void => {
      if (error.details?.['reason'] === 'staff') onExpired();
      else setMessage({ text: t('panel.failed', { message: error.message }), problem: true });
    },
    [onExpired, t],
  );
  useEffect(() => {
    let live = true;
    void api.call('ops.status', {}).then((result) => {
      if (!live) return;
      if (result.ok) setStatus(result.value);
      else failed(result.error);
    });
    return () => {
      live = false;
    };
  }, [api, failed]);
  useEvent(
    'maintenance.changed',
    useCallback((maintenance: MaintenanceView) => setStatus((current) => (current ? { ...current, maintenance } : current)), []),
  );

  const setMaintenance = async (outOfService: boolean): Promise<void> => {
    setBusy(true);
    setMessage(null);
    const chosen = desk ?? status?.maintenance.desk ?? undefined;
    const result = await api.call('maintenance.set', outOfService && chosen != null ? { outOfService, desk: chosen } : { outOfService });
    setBusy(false);
    if (result.ok) setStatus((current) => (current ? { ...current, maintenance: result.value } : current));
    else failed(result.error);
  };
  const restart = async (): Promise<void> => {
    setConfirmRestart(false);
    setRestarting(true);
    const result = await api.call('ops.restart', {});
    if (!result.ok) {
      setRestarting(false);
      failed(result.error);
    }
  };
  const exportLogs = async (to: { directory: string } | 'platform'): Promise<void> => {
    setBusy(true);
    setMessage({ text: t('panel.exporting'), problem: false });
    const result = await api.call('ops.exportLogs', { to });
    setBusy(false);
    if (!result.ok) {
      failed(result.error);
      return;
    }
    const done: LogExportResult = result.value;
    const values = { files: done.files, kb: Math.ceil(done.bytes / 1024), destination: done.destination };
    setMessage({ text: done.truncated ? t('panel.exportedTruncated', values) : t('panel.exported', values), problem: false });
  };

  if (!status) return null;
  const { maintenance } = status;
  const last = status.restarts[0];
  return (
    <section className="staff-card" aria-labelledby="staff-ops" data-testid="staff-ops">
      <h2 id="staff-ops">{t('panel.title')}</h2>
      <dl className="staff-facts">
        <dt>{t('panel.title')}</dt>
        <dd data-testid="staff-ops-state" data-out-of-service={maintenance.outOfService}>
          {maintenance.outOfService
            ? `${maintenance.desk === null ? t('panel.outOfServiceNoDesk') : t('panel.outOfService', { desk: maintenance.desk })} · ${t(maintenance.by === 'platform' ? 'panel.byPlatform' : 'panel.byStaff')}`
            : t('panel.inService')}
        </dd>
        {maintenance.since && (
          <>
            <dt>{t('panel.since')}</dt>
            <dd>{new Date(maintenance.since).toLocaleString(i18n.language, { hour12: false })}</dd>
          </>
        )}
        <dt>{t('panel.uptime')}</dt>
        <dd data-testid="staff-ops-uptime">{duration(status.uptimeSeconds)}</dd>
        <dt>{t('panel.restarts')}</dt>
        <dd data-testid="staff-ops-restarts">
          {status.restartsSinceBoot}
          {last && ` · ${t('panel.lastRestart', { time: new Date(last.at).toLocaleString(i18n.language, { hour12: false }), what: last.what, reason: last.reason })}`}
        </dd>
      </dl>
      {maintenance.pending && <p data-testid="staff-ops-pending">{t('panel.pending', { action: t(`panel.actions.${maintenance.pending}`) })}</p>}

      {!maintenance.outOfService && (
        <div className="staff-ops-row" role="group" aria-label={t('panel.desk')}>
          <span>{t('panel.desk')}</span>
          {DESK_KEYS.map((key) => (
            <button
              type="button"
              key={key}
              className={`touch staff-key${(desk ?? maintenance.desk) === key ? ' is-selected' : ''}`}
              aria-pressed={(desk ?? maintenance.desk) === key}
              onClick={() => setDesk(key)}
              data-testid={`staff-ops-desk-${key}`}
            >
              {key}
            </button>
          ))}
        </div>
      )}
      <div className="staff-ops-row">
        {maintenance.outOfService ? (
          <button type="button" className="touch primary" onClick={() => void setMaintenance(false)} disabled={busy} data-testid="staff-ops-exit">
            {t('panel.exit')}
          </button>
        ) : (
          <button type="button" className="touch primary" onClick={() => void setMaintenance(true)} disabled={busy} data-testid="staff-ops-enter">
            {t('panel.enter')}
          </button>
        )}
        {confirmRestart ? (
          <>
            <span>{t('panel.restartConfirm')}</span>
            <button type="button" className="touch primary" onClick={() => void restart()} data-testid="staff-ops-restart-confirm">
              {t('panel.restart')}
            </button>
            <button type="button" className="touch" onClick={() => setConfirmRestart(false)}>
              {t('panel.cancel')}
            </button>
          </>
        ) : (
          <button type="button" className="touch" onClick={() => setConfirmRestart(true)} disabled={busy || restarting} data-testid="staff-ops-restart">
            {restarting ? t('panel.restarting') : t('panel.restart')}
          </button>
        )}
      </div>

      <h3>{t('panel.logs')}</h3>
      <div className="staff-ops-row">
        {status.logTargets.length === 0 && <span>{t('panel.noTargets')}</span>}
        {status.logTargets.map((target) => (
          <button
            type="button"
            key={target.path}
            className="touch"
            onClick={() => void exportLogs({ directory: target.path })}
            disabled={busy || !target.available}
            data-testid="staff-ops-export"
            data-path={target.path}
          >
            {target.path}
            {!target.available && ` (${t('panel.unavailable')})`}
          </button>
        ))}
        <button type="button" className="touch" onClick={() => void exportLogs('platform')} disabled={busy || !status.canUpload} data-testid="staff-ops-upload">
          {t('panel.toPlatform')}
        </button>
      </div>
      {message && (
        <p className={message.problem ? 'staff-problem' : undefined} role={message.problem ? 'alert' : 'status'} data-testid="staff-ops-message">
          {message.text}
        </p>
      )}
    </section>
  );
}

import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorShape, HelpRequestView } from '../../../../electron/contract/index.js';
import { useApi, useEvent } from '../../app/api.js';
import { useSay } from '../../i18n/say.js';

/**
 * For the staff screen: citizens who pressed 呼叫工作人员 (time, question,
 * kiosk), newest arriving live, each with a 已处理 button. Staff methods need
 * the staff PIN session; a refusal for that reason ends the staff view.
 */
export function HelpRequestsPanel({ onExpired }: { onExpired: () => void }) {
  const { t, i18n } = useTranslation('robot');
  const say = useSay();
  const api = useApi();
  const [requests, setRequests] = useState<HelpRequestView[]>();
  const [problem, setProblem] = useState<string | null>(null);
  const time = (iso: string): string => new Date(iso).toLocaleString(i18n.language, { hour12: false });

  const refuse = useCallback(
    (error: ApiErrorShape) => {
      if (error.details?.['reason'] === 'staff') onExpired();
      else setProblem(say(error));
    },
    [onExpired, say],
  );

  useEffect(() => {
    let live = true;
    void api.call('help.list', {}).then((result) => {
      if (!live) return;
      if (result.ok) setRequests(result.value);
      else refuse(result.error);
    });
    return () => {
      live = false;
    };
  }, [api, refuse]);

  useEvent(
    'help.requested',
    useCallback((request: HelpRequestView) => setRequests((list) => (list === undefined || list.some((r) => r.id === request.id) ? list : [...list, request])), []),
  );

  const resolve = async (id: string): Promise<void> => {
    const result = await api.call('help.resolve', { id });
    if (result.ok || result.error.code === 'not_found') setRequests((list) => list?.filter((r) => r.id !== id));
    else refuse(result.error);
  };

  return (
    <section className="staff-card" aria-labelledby="staff-help" data-testid="staff-help">
      <h2 id="staff-help">{t('help.title')}</h2>
      {problem !== null && (
        <p className="staff-problem" role="alert">
          {t('help.failed', { message: problem })}
        </p>
      )}
      {requests && requests.length === 0 && <p data-testid="staff-help-empty">{t('help.empty')}</p>}
      {requests && requests.length > 0 && (
        <table className="staff-dead" data-testid="staff-help-list">
          <thead>
            <tr>
              <th>{t('help.time')}</th>
              <th>{t('help.reason')}</th>
              <th>{t('help.kiosk')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {requests.map((request) => (
              <tr key={request.id} data-testid="staff-help-request">
                <td>{time(request.at)}</td>
                <td>{request.reason ?? t('help.noReason')}</td>
                <td className="staff-mono">{request.terminalId}</td>
                <td>
                  <button type="button" className="touch" onClick={() => void resolve(request.id)} data-testid={`staff-help-resolve-${request.id}`}>
                    {t('help.resolve')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

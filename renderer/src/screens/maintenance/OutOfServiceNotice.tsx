import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MaintenanceView } from '../../../../electron/contract/index.js';
import { useApi, useEvent } from '../../app/api.js';
import { useNavigation } from '../../app/navigation.js';
import { useLongPress } from '../staff/useLongPress.js';
import './maintenance.css';

/**
 * The full-screen notice while the kiosk is out of service (set by staff or
 * the platform): it names the information desk to go to, in the current
 * language, and covers every screen but the staff screen. Staff reach their
 * screen by holding the notice's title, as they hold the hall name on the
 * attract screen.
 */
export function OutOfServiceNotice() {
  const { t } = useTranslation('maintenance');
  const api = useApi();
  const { screen, navigate } = useNavigation();
  const [state, setState] = useState<MaintenanceView>();
  const holdForStaff = useLongPress(() => navigate('staff'));

  useEffect(() => {
    let live = true;
    void api.call('maintenance.status', {}).then((result) => {
      if (live && result.ok) setState(result.value);
    });
    return () => {
      live = false;
    };
  }, [api]);
  useEvent('maintenance.changed', useCallback((next: MaintenanceView) => setState(next), []));

  if (state?.outOfService !== true || screen === 'staff') return null;
  return (
    <div className="out-of-service" role="alertdialog" aria-modal="true" aria-labelledby="out-of-service-title" data-testid="out-of-service">
      <h1 id="out-of-service-title" className="out-of-service-title" {...holdForStaff} data-testid="out-of-service-title">
        {t('notice.title')}
      </h1>
      <p className="out-of-service-message" data-testid="out-of-service-message">
        {state.desk === null ? t('notice.noDesk') : t('notice.desk', { desk: state.desk })}
      </p>
      <p className="out-of-service-sorry">{t('notice.sorry')}</p>
    </div>
  );
}

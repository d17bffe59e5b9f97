import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useHostInfo } from '../../app/api.js';
import { Icon } from '../../app/icons.js';
import { useNavigation } from '../../app/navigation.js';
import { useSession } from '../../app/session.js';
import { useLongPress } from '../staff/useLongPress.js';

function useClock(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** The idle screen: who we are, what time it is, how to begin. */
export function AttractScreen() {
  const { t, i18n } = useTranslation();
  const { t: ts } = useTranslation('session');
  const { begin } = useSession();
  const info = useHostInfo();
  const api = useApi();
  const { navigate } = useNavigation();
  const holdForStaff = useLongPress(() => navigate('staff'));
  const now = useClock();

  useEffect(() => {
    // First rendered screen: a mark for the smoke check, a note for the host's log.
    if (performance.getEntriesByName('liuliu:first-screen').length === 0) {
      performance.mark('liuliu:first-screen');
      void api.call('ui.ready', { screen: 'attract', msSinceNavigation: Math.round(performance.now()) });
    }
  }, [api]);

  const weekdays = t('weekday', { returnObjects: true }) as string[];
  const date = now.toLocaleDateString(i18n.language, { year: 'numeric', month: 'long', day: 'numeric' });
  const time = now.toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false });

  return (
    <main className="attract" data-testid="attract-screen">
      <h1 className="attract-hall" {...holdForStaff} data-testid="attract-hall">{info.hallName}</h1>
      <p className="attract-welcome">{t('attract.welcome', { hall: info.hallFullName })}</p>
      <div className="attract-clock" aria-live="off">
        <span className="attract-time" data-testid="clock">{time}</span>
        <span className="attract-date">
          {date} {weekdays[now.getDay()]}
        </span>
      </div>
      <div className="attract-card" aria-hidden>
        <div className="card-wave" />
        <div className="card-shape">
          <Icon name="idcard" size={112} />
        </div>
      </div>
      <p className="attract-prompt">{t('attract.prompt')}</p>
      <p className="attract-card-hint">{ts('placeCard')}</p>
      <button type="button" className="touch primary attract-start" onClick={() => void begin().then(() => navigate('home'))} data-testid="start">
        {t('attract.start')}
      </button>
      <button type="button" className="touch attract-nocard" onClick={() => void begin().then(() => navigate('ticket'))} data-testid="no-card-ticket">
        {ts('noCard')}
      </button>
      <p className="attract-robot">{t('attract.robotHello', { robot: info.robotName })}</p>
      <footer className="attract-footer">{info.openingHours}</footer>
    </main>
  );
}

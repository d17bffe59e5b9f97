import { useEffect, useMemo, useRef, useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import type { SystemInfo } from '../../../electron/contract/index.js';
import type { ApiClient } from '../api/client.js';
import { createI18n, type UiLocale } from '../i18n/index.js';
import { AttractScreen } from '../screens/attract/AttractScreen.js';
import { HomeScreen } from '../screens/home/HomeScreen.js';
import { ApplyScreen } from '../screens/apply/ApplyScreen.js';
import { FeedbackScreen } from '../screens/feedback/FeedbackScreen.js';
import { GuideScreen } from '../screens/guide/GuideScreen.js';
import { ProgressScreen } from '../screens/progress/ProgressScreen.js';
import { RobotScreen } from '../screens/robot/RobotScreen.js';
import { StaffScreen } from '../screens/staff/StaffScreen.js';
import { TicketScreen } from '../screens/ticket/TicketScreen.js';
import { AppointmentScreen } from '../screens/appointment/AppointmentScreen.js';
import { ApiProvider, InfoProvider } from './api.js';
import { Chrome } from './Chrome.js';
import { NavigationProvider, useNavigation } from './navigation.js';
import { PreferencesProvider, usePreferences } from './preferences.js';
import { SessionProvider } from './session.js';

/** Each visit starts fresh: back on the attract screen, language and text size return to the hall's defaults. */
function ResetOnAttract({ defaultLocale }: { defaultLocale: UiLocale }) {
  const { screen } = useNavigation();
  const { i18n } = useTranslation();
  const { setElderly } = usePreferences();
  const previous = useRef(screen);
  useEffect(() => {
    const returned = screen === 'attract' && previous.current !== 'attract';
    previous.current = screen;
    if (!returned) return;
    void i18n.changeLanguage(defaultLocale);
    setElderly(false);
  }, [screen, i18n, defaultLocale, setElderly]);
  return null;
}

function CurrentScreen() {
  const { screen } = useNavigation();
  switch (screen) {
    case 'attract':
      return <AttractScreen />;
    case 'home':
      return <HomeScreen />;
    case 'ticket':
      return <TicketScreen />;
    case 'appointment':
      return <AppointmentScreen />;
    case 'robot':
      return <RobotScreen />;
    case 'guide':
      return <GuideScreen />;
    case 'apply':
      return <ApplyScreen />;
    case 'progress':
      return <ProgressScreen />;
    case 'staff':
      return <StaffScreen />;
    case 'feedback':
      return <FeedbackScreen />;
  }
}

function Loading({ failed }: { failed: boolean }) {
  const { t } = useTranslation();
  return (
    <main className="loading" aria-busy={!failed}>
      {!failed && <div className="spinner" aria-hidden />}
      <p>{failed ? t('chrome.hostUnavailable') : t('chrome.connecting')}</p>
    </main>
  );
}

export function App({ client }: { client: ApiClient }) {
  const [info, setInfo] = useState<SystemInfo>();
  const [failed, setFailed] = useState(false);
  const i18n = useMemo(() => createI18n('zh-CN'), []);

  useEffect(() => {
    void client.call('system.info', {}).then((result) => {
      if (result.ok) {
        setInfo(result.value);
        void i18n.changeLanguage(result.value.defaultLocale);
      } else setFailed(true);
    });
  }, [client, i18n]);

  // The host composes replies, tickets and receipts in the citizen's language: tell it whenever the language changes.
  useEffect(() => {
    const tell = (language: string): void => void client.call('session.locale', { locale: language === 'en' ? 'en' : 'zh-CN' });
    i18n.on('languageChanged', tell);
    return () => i18n.off('languageChanged', tell);
  }, [client, i18n]);

  return (
    <I18nextProvider i18n={i18n}>
      <ApiProvider client={client}>
        {info ? (
          <InfoProvider value={info}>
            <PreferencesProvider>
              <NavigationProvider>
                <ResetOnAttract defaultLocale={info.defaultLocale} />
                <SessionProvider>
                  <Chrome>
                    <CurrentScreen />
                  </Chrome>
                </SessionProvider>
              </NavigationProvider>
            </PreferencesProvider>
          </InfoProvider>
        ) : (
          <Loading failed={failed} />
        )}
      </ApiProvider>
    </I18nextProvider>
  );
}

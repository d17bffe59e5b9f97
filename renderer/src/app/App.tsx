import { useCallback, useEffect, useMemo, useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import type { SystemInfo } from '../../../electron/contract/index.js';
import type { ApiClient } from '../api/client.js';
import { createI18n, type UiLocale } from '../i18n/index.js';
import { AttractScreen } from '../screens/attract/AttractScreen.js';
import { HomeScreen } from '../screens/home/HomeScreen.js';
import { PlaceholderScreen } from '../screens/placeholder/PlaceholderScreen.js';
import { ApiProvider, InfoProvider } from './api.js';
import { Chrome } from './Chrome.js';
import { NavigationProvider, useNavigation } from './navigation.js';
import { PreferencesProvider } from './preferences.js';

function CurrentScreen() {
  const { screen } = useNavigation();
  switch (screen) {
    case 'attract':
      return <AttractScreen />;
    case 'home':
      return <HomeScreen />;
    default:
      return <PlaceholderScreen />;
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

  const resetLanguage = useCallback(() => {
    if (info) void i18n.changeLanguage(info.defaultLocale satisfies UiLocale);
  }, [i18n, info]);

  return (
    <I18nextProvider i18n={i18n}>
      <ApiProvider client={client}>
        {info ? (
          <InfoProvider value={info}>
            <PreferencesProvider>
              <NavigationProvider onRestart={resetLanguage}>
                <Chrome>
                  <CurrentScreen />
                </Chrome>
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

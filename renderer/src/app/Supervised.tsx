import { useEffect, useMemo, useState } from 'react';
import type { ApiClient, Bridge } from '../api/client.js';
import { createI18n } from '../i18n/index.js';
import { App } from './App.js';

/**
 * The app as the supervisor keeps it: when the bridge loses its host, a calm
 * full-screen notice in both languages (the citizen's choice of language went
 * with the host); when the host is back, the app starts over from the
 * attract screen with nothing of the interrupted visit (remounted: every
 * screen's state, form and answer is gone; the host ended the session as a
 * timeout).
 */
export function Supervised({ bridge, client }: { bridge: Bridge; client: ApiClient }) {
  /** When the bridge reported the host lost (epoch ms; shown on the notice for diagnostics and tests). */
  const [lost, setLost] = useState<number | undefined>();
  const [generation, setGeneration] = useState(0);
  useEffect(
    () =>
      bridge.onStatus?.((status) => {
        if (status === 'lost') setLost((since) => since ?? Date.now());
        else {
          setLost(undefined);
          setGeneration((g) => g + 1);
        }
      }),
    [bridge],
  );
  return (
    <>
      {lost === undefined && <App key={generation} client={client} />}
      {lost !== undefined && <Restoring since={lost} />}
    </>
  );
}

function Restoring({ since }: { since: number }) {
  const i18n = useMemo(() => createI18n('zh-CN'), []);
  const zh = i18n.getFixedT('zh-CN', 'common');
  const en = i18n.getFixedT('en', 'common');
  return (
    <main className="restoring" role="alert" aria-live="assertive" data-testid="restoring" data-since={since}>
      <div className="restoring-pulse" aria-hidden />
      <h1 lang="zh-CN">{zh('recovery.title')}</h1>
      <p lang="zh-CN">{zh('recovery.detail')}</p>
      <h2 lang="en">{en('recovery.title')}</h2>
      <p lang="en">{en('recovery.detail')}</p>
    </main>
  );
}

import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Shown when a counter or display page has no page key yet: the hall's IT
 * staff open the link with `#key=…` once (see README "Queue tickets"), or
 * paste the key here. The key is then kept in this browser.
 */
export function KeyPrompt({ unauthorized, onKey }: { unauthorized: boolean; onKey: (key: string) => void }) {
  const { t } = useTranslation();
  const [key, setKey] = useState('');
  return (
    <main className="key-prompt" data-testid="key-prompt">
      <h1>{unauthorized ? t('key.invalid') : t('key.needed')}</h1>
      <p>{t('key.hint')}</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (key.trim() !== '') onKey(key.trim());
        }}
      >
        <input value={key} onChange={(event) => setKey(event.target.value)} aria-label={t('key.label')} autoComplete="off" />
        <button type="submit">{t('key.save')}</button>
      </form>
    </main>
  );
}

import { useState } from 'react';

/**
 * Shown when a counter or display page has no page key yet: the hall's IT
 * staff open the link with `#key=…` once (see README "Queue tickets"), or
 * paste the key here. The key is then kept in this browser.
 */
export function KeyPrompt({ unauthorized, onKey }: { unauthorized: boolean; onKey: (key: string) => void }) {
  const [key, setKey] = useState('');
  return (
    <main className="key-prompt" data-testid="key-prompt">
      <h1>{unauthorized ? '页面密钥无效' : '请先设置页面密钥'}</h1>
      <p>请使用管理员提供的链接打开本页面，或在下方粘贴页面密钥。</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (key.trim() !== '') onKey(key.trim());
        }}
      >
        <input value={key} onChange={(event) => setKey(event.target.value)} aria-label="页面密钥" autoComplete="off" />
        <button type="submit">保存</button>
      </form>
    </main>
  );
}

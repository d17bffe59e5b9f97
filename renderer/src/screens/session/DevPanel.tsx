import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useHostInfo } from '../../app/api.js';

/**
 * Said on screen in developer mode, so a terminal left in it is noticed by
 * anyone who walks past: a strip above the header (Chrome puts it first), so
 * it covers none of the header's buttons. The simulators' button sits in the
 * strip too: floating in a corner it covered 提问 at 1280×1024 in elderly mode.
 */
export function DevBanner() {
  const { t } = useTranslation('dev');
  const info = useHostInfo();
  if (!info.developerMode) return null;
  return (
    <div className="dev-banner" data-testid="dev-banner">
      <p role="note">{t('banner')}</p>
      <DevPanel />
    </div>
  );
}

/**
 * Developer panel (config `developerMode`): drives the device simulators from
 * the screen — place a demo ID card, take it away. Never shown in a hall.
 */
export function DevPanel() {
  const { t } = useTranslation('dev');
  const info = useHostInfo();
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [cards, setCards] = useState<Array<{ id: string; label: string }>>([]);

  useEffect(() => {
    if (!open) return;
    void api.call('dev.idcard.cards', {}).then((result) => setCards(result.ok ? result.value : []));
  }, [api, open]);

  if (!info.developerMode) return null;
  if (!open) {
    return (
      <>
        <button type="button" className="dev-open" onClick={() => setOpen(true)} data-testid="dev-open">
          {t('open')}
        </button>
      </>
    );
  }
  return (
    <>
      <aside className="dev-panel" data-testid="dev-panel">
        <h2>{t('title')}</h2>
        {cards.map((card) => (
          <button type="button" key={card.id} className="touch" onClick={() => void api.call('dev.idcard.place', { cardId: card.id })} data-testid={`dev-place-${card.id}`}>
            {t('place', { label: card.label })}
          </button>
        ))}
        <button type="button" className="touch" onClick={() => void api.call('dev.idcard.remove', {})} data-testid="dev-remove-card">
          {t('remove')}
        </button>
        <button type="button" className="touch" onClick={() => setOpen(false)} data-testid="dev-close">
          {t('close')}
        </button>
      </aside>
    </>
  );
}

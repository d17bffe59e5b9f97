import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueueTicketLink } from '../../../../electron/contract/index.js';
import { useApi } from '../../app/api.js';

/** Whether consultation slips carry the QR to the platform's phone page: without a public platform address they print none, and staff should know why. */
export function SlipLinkCard() {
  const { t } = useTranslation('staff');
  const api = useApi();
  const [link, setLink] = useState<QueueTicketLink>();
  useEffect(() => {
    let live = true;
    void api.call('feedback.slipLink', {}).then((result) => {
      if (live && result.ok) setLink(result.value);
    });
    return () => {
      live = false;
    };
  }, [api]);
  if (link === undefined) return null;
  return (
    <section className="staff-card" aria-labelledby="staff-slip-qr" data-testid="staff-slip-qr" data-on={link.base !== null}>
      <h2 id="staff-slip-qr">{t('slipQr.title')}</h2>
      <p className={link.base === null ? 'staff-problem' : undefined}>{link.base === null ? t(`slipQr.off.${link.problem ?? 'missing'}`) : t('slipQr.on', { url: link.base })}</p>
    </section>
  );
}

import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueueTicketLink } from '../../../../electron/contract/index.js';
import { useApi } from '../../app/api.js';

/**
 * Whether a printout carries a QR code for phones — queue tickets
 * (`queue.ticketLink`), consultation slips (`feedback.slipLink`): a kiosk
 * without an address phones can open prints none, and staff should know why.
 * `keys` is the staff namespace's group (`ticketQr`, `slipQr`): title, on, off.*.
 */
export function QrLinkCard({ method, keys, testId }: { method: 'queue.ticketLink' | 'feedback.slipLink'; keys: 'ticketQr' | 'slipQr'; testId: string }) {
  const { t } = useTranslation('staff');
  const api = useApi();
  const [link, setLink] = useState<QueueTicketLink>();
  useEffect(() => {
    let live = true;
    void api.call(method, {}).then((result) => {
      if (live && result.ok) setLink(result.value);
    });
    return () => {
      live = false;
    };
  }, [api, method]);
  if (link === undefined) return null;
  return (
    <section className="staff-card" aria-labelledby={`${testId}-title`} data-testid={testId} data-on={link.base !== null}>
      <h2 id={`${testId}-title`}>{t(`${keys}.title`)}</h2>
      <p className={link.base === null ? 'staff-problem' : undefined}>{link.base === null ? t(`${keys}.off.${link.problem ?? 'missing'}`) : t(`${keys}.on`, { url: link.base })}</p>
    </section>
  );
}

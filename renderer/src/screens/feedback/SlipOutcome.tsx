import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FeedbackReceipt, FeedbackSlipOutcome } from '../../../../electron/contract/index.js';
import { useApi } from '../../app/api.js';
import { useSay } from '../../i18n/say.js';

/**
 * The slip after a consultation or complaint: printed at once, and what came
 * of it said plainly — printed with the QR to her phone page, printed
 * without one (this kiosk has no public address), or not printed.
 */
export function SlipOutcome({ receipt }: { receipt: FeedbackReceipt }) {
  const { t } = useTranslation('feedback');
  const say = useSay();
  const api = useApi();
  const [outcome, setOutcome] = useState<FeedbackSlipOutcome | string | null>(null);
  useEffect(() => {
    if (receipt.kind === 'rating') return;
    let live = true;
    void api.call('feedback.printSlip', { id: receipt.id }).then((result) => {
      if (live) setOutcome(result.ok ? result.value : say(result.error));
    });
    return () => {
      live = false;
    };
  }, [api, receipt.id, receipt.kind, say]);
  if (receipt.kind === 'rating') return null;
  if (outcome === null)
    return (
      <p className="feedback-slip" data-testid="feedback-slip">
        <span className="spinner small" aria-hidden />
        {t('slip.printing')}
      </p>
    );
  const words = typeof outcome === 'string' ? outcome : outcome.kind === 'failed' ? t('slip.failed', { message: outcome.say === undefined ? '' : say(outcome.say) }) : outcome.qr ? t('slip.printedQr') : t('slip.printed');
  return (
    <p className="feedback-slip" data-testid="feedback-slip" data-qr={typeof outcome !== 'string' && outcome.qr}>
      {words}
    </p>
  );
}

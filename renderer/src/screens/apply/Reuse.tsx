import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DraftView, ReuseOffer, ReuseOffers } from '../../../../electron/contract/index.js';
import { serviceDay } from '../../../../electron/common/hall-time.js';
import { useApi } from '../../app/api.js';
import { useSay } from '../../i18n/say.js';

/**
 * 一号 in the apply flow: the materials she submitted before that fit this
 * application (names and dates from the platform, never images), a
 * "使用已提交的材料" choice per material, and the explicit consent step before
 * the first reuse — what is shared, with whom; she can decline and scan.
 */

/** The hall's calendar day of an instant, as the citizen reads dates on her slips (YYYY-MM-DD). */
export function hallDate(iso: string): string {
  const instant = new Date(iso);
  return Number.isNaN(instant.getTime()) ? iso : serviceDay(instant);
}

/** Asks the host once per draft which earlier materials fit; `null` while asking (shown: it may take seconds). */
export function useReuseOffers(draftId: string): ReuseOffers | null {
  const api = useApi();
  const [offers, setOffers] = useState<ReuseOffers | null>(null);
  useEffect(() => {
    let live = true;
    void api.call('cases.reusableMaterials', {}).then((result) => {
      if (live) setOffers(result.ok ? result.value : { availability: 'unavailable', offers: [], ...(result.error.say === undefined ? {} : { say: result.error.say }) });
    });
    return () => {
      live = false;
    };
  }, [api, draftId]);
  return offers;
}

/** What the lookup says above the materials: checking (with a spinner), or why she has to scan. */
export function ReuseStatus({ offers }: { offers: ReuseOffers | null }) {
  const { t } = useTranslation('cases');
  const say = useSay();
  if (offers === null)
    return (
      <p className="cases-busy" data-testid="apply-reuse-checking">
        <span className="spinner small" aria-hidden />
        {t('apply.reuse.checking')}
      </p>
    );
  if (offers.availability === 'unavailable')
    return (
      <p className="cases-hint" data-testid="apply-reuse-unavailable" role="status">
        {offers.say === undefined ? t('apply.reuse.unavailable') : say(offers.say)}
      </p>
    );
  return null;
}

/** One material's choice: the earlier one offered (name, date, pages), or the note that it is in use, with the way back to scanning. */
export function ReuseChoice({ offer, reused, busy, onUse, onScanInstead }: { offer: ReuseOffer; reused: boolean; busy: boolean; onUse: () => void; onScanInstead: () => void }) {
  const { t } = useTranslation('cases');
  const facts = { name: offer.name, date: hallDate(offer.submittedAt), until: hallDate(offer.validUntil), count: offer.pages };
  if (reused)
    return (
      <div className="cases-reuse is-used" data-testid={`apply-reused-${offer.materialIndex}`}>
        <p className="cases-reuse-text">{t('apply.reuse.used', facts)}</p>
        <button type="button" className="touch" disabled={busy} onClick={onScanInstead} data-testid={`apply-reuse-stop-${offer.materialIndex}`}>
          {t('apply.reuse.scanInstead')}
        </button>
      </div>
    );
  return (
    <div className="cases-reuse" data-testid={`apply-reuse-offer-${offer.materialIndex}`}>
      <p className="cases-reuse-text">{t('apply.reuse.offer', facts)}</p>
      <button type="button" className="touch primary" disabled={busy} onClick={onUse} data-testid={`apply-reuse-${offer.materialIndex}`}>
        {t('apply.reuse.use')}
      </button>
    </div>
  );
}

/** The consent step before the first reuse: what is shared, with whom, for what; agree, or decline and scan. */
export function ReuseConsent({ offer, draft, busy, onAgree, onDecline }: { offer: ReuseOffer; draft: DraftView; busy: boolean; onAgree: () => void; onDecline: () => void }) {
  const { t } = useTranslation('cases');
  return (
    <section className="cases-card cases-consent" aria-labelledby="apply-reuse-consent-title" data-testid="apply-reuse-consent">
      <h2 id="apply-reuse-consent-title">{t('apply.reuse.consentTitle')}</h2>
      <p>{t('apply.reuse.consentWhat', { name: offer.name, date: hallDate(offer.submittedAt), count: offer.pages })}</p>
      <p>{t('apply.reuse.consentWho', { department: draft.service.department, service: draft.service.name })}</p>
      <p className="cases-hint">{t('apply.reuse.consentNot')}</p>
      <div className="cases-actions">
        <button type="button" className="touch" disabled={busy} onClick={onDecline} data-testid="apply-reuse-decline">
          {t('apply.reuse.decline')}
        </button>
        <button type="button" className="touch primary" disabled={busy} onClick={onAgree} data-testid="apply-reuse-agree">
          {t('apply.reuse.agree')}
        </button>
      </div>
    </section>
  );
}

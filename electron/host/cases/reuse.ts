import type { ReuseOffer } from '../../contract/index.js';

/**
 * 一号, pure: which of a citizen's earlier materials (as the platform listed
 * them: names and dates, never images) fit the materials of this draft's
 * service. A listed material fits a material of the guide with the same name,
 * while it is still valid and has pages; the newest one is offered.
 */
export interface ListedMaterial {
  /** `<caseId>:<material index>` on the platform. */
  materialId: string;
  name: string;
  submittedAt: string;
  validUntil: string;
  pages: number;
}

/** What the host asks the platform link (electron/host/sync/materials.ts): `off` = no platform or no citizen-key secret. */
export type ReusableMaterialsLookup = (idNumber: string) => Promise<{ kind: 'ok'; materials: readonly ListedMaterial[] } | { kind: 'off' } | { kind: 'unavailable'; reason: string }>;

function sameName(a: string, b: string): boolean {
  return a.replace(/\s+/g, '') === b.replace(/\s+/g, '');
}

export function reuseOffers(materials: readonly { name: string }[], listed: readonly ListedMaterial[], now: Date): ReuseOffer[] {
  return materials.flatMap((material, materialIndex) => {
    const fitting = listed
      .filter((candidate) => candidate.pages > 0 && sameName(candidate.name, material.name) && Date.parse(candidate.validUntil) > now.getTime())
      .sort((a, b) => b.submittedAt.localeCompare(a.submittedAt));
    const newest = fitting[0];
    return newest === undefined ? [] : [{ materialIndex, materialId: newest.materialId, name: newest.name, submittedAt: newest.submittedAt, validUntil: newest.validUntil, pages: newest.pages }];
  });
}

/** Why a reuse request is refused, or null: consent first, and only an id offered to this citizen for this very material. */
export function reuseRefusal(request: { materialIndex: number; materialId: string }, offers: readonly ReuseOffer[], consentAt: string | null): 'consent-required' | 'not-offered' | null {
  if (!offers.some((offer) => offer.materialIndex === request.materialIndex && offer.materialId === request.materialId)) return 'not-offered';
  if (consentAt === null) return 'consent-required';
  return null;
}

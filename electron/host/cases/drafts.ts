import { randomUUID } from 'node:crypto';
import { userMessage, type CaseForm, type ReuseOffer, type UserMessage } from '../../contract/index.js';

/**
 * Drafts live in host memory only, one per session: the chosen service, the
 * form, and the normalised scans. Nothing of a draft is written anywhere
 * until submit; at session end (or a new draft) its buffers are zeroed and
 * dropped.
 */
export interface DraftPage {
  id: string;
  materialIndex: number;
  jpeg: Buffer;
  preview: Buffer;
  width: number;
  height: number;
}

export interface Draft {
  id: string;
  sessionId: string;
  serviceId: string;
  form: CaseForm;
  pages: DraftPage[];
  /** 一号: what the platform offered her in this draft (the only ids she may reuse). */
  offers: ReuseOffer[];
  /** When she agreed to reuse (ISO), or null. */
  reuseConsentAt: string | null;
  /** Material index → the earlier material used instead of scans. */
  reused: Map<number, ReuseOffer>;
}

/** Enough for any guide's materials (multi-page documents) while bounding host memory (≈1 MB per page). */
export const MAX_PAGES_PER_DRAFT = 40;
export const MAX_PAGES_PER_MATERIAL = 10;

function wipe(page: DraftPage): void {
  page.jpeg.fill(0);
  page.preview.fill(0);
}

export class DraftBook {
  private readonly drafts = new Map<string, Draft>();

  start(sessionId: string, serviceId: string): Draft {
    this.discard(sessionId);
    const draft: Draft = { id: randomUUID(), sessionId, serviceId, form: { phone: '', mailingAddress: '', remarks: '' }, pages: [], offers: [], reuseConsentAt: null, reused: new Map() };
    this.drafts.set(sessionId, draft);
    return draft;
  }

  get(sessionId: string): Draft | undefined {
    return this.drafts.get(sessionId);
  }

  /** Why another page cannot be added, or null. */
  pageLimit(draft: Draft, materialIndex: number, replacing: boolean): UserMessage | null {
    if (replacing) return null;
    if (draft.pages.length >= MAX_PAGES_PER_DRAFT) return userMessage('cases.tooManyPages', { max: MAX_PAGES_PER_DRAFT });
    if (draft.pages.filter((page) => page.materialIndex === materialIndex).length >= MAX_PAGES_PER_MATERIAL) return userMessage('cases.tooManyPagesPerMaterial', { max: MAX_PAGES_PER_MATERIAL });
    return null;
  }

  /** Uses an earlier material for its index: the scans of that material go (zeroed). */
  reuse(draft: Draft, offer: ReuseOffer): void {
    for (const page of draft.pages.filter((existing) => existing.materialIndex === offer.materialIndex)) this.deletePage(draft, page.id);
    draft.reused.set(offer.materialIndex, offer);
  }

  /** Adds a page, or puts it in the place of `replacePageId` (rescan). */
  putPage(draft: Draft, page: Omit<DraftPage, 'id'>, replacePageId?: string): DraftPage {
    const stored = { ...page, id: randomUUID() };
    const at = replacePageId === undefined ? -1 : draft.pages.findIndex((existing) => existing.id === replacePageId);
    if (at >= 0) {
      const [old] = draft.pages.splice(at, 1, stored);
      if (old) wipe(old);
    } else draft.pages.push(stored);
    return stored;
  }

  deletePage(draft: Draft, pageId: string): boolean {
    const at = draft.pages.findIndex((page) => page.id === pageId);
    if (at < 0) return false;
    const [old] = draft.pages.splice(at, 1);
    if (old) wipe(old);
    return true;
  }

  /** Drops a session's draft (submitted, replaced, or the session ended), zeroing its images. */
  discard(sessionId: string): void {
    const draft = this.drafts.get(sessionId);
    if (!draft) return;
    draft.pages.forEach(wipe);
    draft.pages = [];
    this.drafts.delete(sessionId);
  }

  discardAll(): void {
    for (const sessionId of [...this.drafts.keys()]) this.discard(sessionId);
  }

  get size(): number {
    return this.drafts.size;
  }
}

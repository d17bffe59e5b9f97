import { join } from 'node:path';
import type { CaseStatusChange } from '../../../platform-contract/contract.js';
import { ImageError, normalise, ScanError, type ColourMode, type NormaliseOptions, type NormalisedPage } from '../../../devices/scanner/index.js';
import { maskIdNumber, maskName } from '../../common/pii.js';
import { ApiError, userMessage, type CaseView, type DraftView, type ErrorCode, type PageView, type PrintOutcomeView, type ReuseOffers, type SelfServiceItem } from '../../contract/index.js';
import { printWords } from '../../common/printed-words.js';
import type { ContentPackage, Service } from '../content/schema.js';
import { guideInLocale, inLocale } from '../content/english.js';
import { FontPicker, printPdf, receiptPdf, resultPdf, type PrintOutcome } from '../docs/index.js';
import type { HostContext, HostModule } from '../module.js';
import type { CitizenIdentity, SessionManager } from '../session/manager.js';
import { DraftBook, type Draft, type DraftPage } from './drafts.js';
import { a4Receipt, queryUrl, slipDoc, type ReceiptFacts } from './receipts.js';
import { checkForm, maskAddress, parsePreAcceptanceNumber, phoneLast4, stageOf, stageTimeline, terminalCode } from './rules.js';
import { QueryLimiter, type QueryLimitOptions } from './query-limit.js';
import { reuseOffers, reuseRefusal, type ReusableMaterialsLookup } from './reuse.js';
import { CaseStore, type ResultDocument, type StoredCase } from './store.js';
import { sameSecret } from '../storage/crypto.js';

/**
 * The cases capability: self-service pre-applications (draft in memory →
 * scans → one-transaction submit with its outbox row), receipts (slip on the
 * receipt printer, A4 PDF to CUPS or saved), progress queries, result
 * printing, and the platform's status changes (`applyCaseStatus`, for sync).
 */
export interface CasesModuleOptions {
  /** 4-digit code of this terminal inside pre-acceptance numbers; default derived from terminalId (see rules.terminalCode). */
  terminalCode?: string;
  /** CUPS queue for A4 documents; absent = PDFs are saved under `<dataDir>/documents/`. */
  documentPrinter?: string;
  /** Query page of the platform, put into the receipt's QR code with `?no=NUMBER`. */
  queryUrlBase?: string;
  /** Scan settings for material pages (default 300 dpi colour, flatbed). */
  scan?: { resolution?: number; mode?: ColourMode };
  normalise?: NormaliseOptions;
  fonts?: FontPicker;
  /** Where drafts live (host memory); tests pass their own to watch the session-end wipe. */
  drafts?: DraftBook;
  /** Anonymous progress queries: failures allowed per window on this terminal (default 5 per 10 minutes). */
  queryLimit?: QueryLimitOptions;
  /** 一号: the citizen's earlier materials from the platform (the sync module's lookup); absent = no reuse, she scans. */
  reusableMaterials?: ReusableMaterialsLookup;
}

/** A number as it may appear in a log: the date and terminal stay, the sequence and check part do not. */
function maskNumber(number: string): string {
  return `${number.slice(0, 12)}******`;
}

/** A platform status change; `caseId` may be the case id or its pre-acceptance number. The platform may add a result document. */
export type CaseStatusInput = CaseStatusChange & { resultDocument?: ResultDocument };

export interface CasesHostModule extends HostModule {
  /** For the sync module: applies pulled status changes, idempotent per `seq`. */
  applyCaseStatus(changes: readonly CaseStatusInput[]): Promise<void>;
  /** For the sync module: page images by SHA-256 for the upload, and their release once the platform holds them. */
  pageBlobs: { read(sha256: string): Promise<Buffer | undefined>; release(hashes: readonly string[]): Promise<void> };
}

export const DEFAULT_QUERY_URL_BASE = 'https://zwfw.example.gov.cn/ys/query';
const RESULT_STAGE_FROM = 3; // 决定 and 办结 carry the decision text

const SCAN_ERROR_API_CODES: Partial<Record<ScanError['code'], ErrorCode>> = { busy: 'conflict', cancelled: 'refused', 'invalid-options': 'internal' };

/** Normalises a scanned image for a draft; an absurd image is refused in words the citizen understands. */
export async function normaliseScan(image: Uint8Array, options?: NormaliseOptions): Promise<NormalisedPage> {
  try {
    return await normalise(image, options);
  } catch (err) {
    if (err instanceof ImageError) throw new ApiError('refused', userMessage(`image.${err.code}`, {}), { reason: err.code });
    throw err;
  }
}

function dataUrl(jpeg: Buffer): string {
  return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
}

function pageView(page: DraftPage): PageView {
  return { pageId: page.id, materialIndex: page.materialIndex, preview: dataUrl(page.preview), width: page.width, height: page.height };
}

/** `pickup`: where a saved document is collected (the hall's documentPickup) — the citizen is told the place, never the path. */
function describePrint(outcome: PrintOutcome, pickup: string): PrintOutcomeView {
  if (outcome.kind === 'printed') return { kind: 'printed', say: userMessage('print.sentToPrinter', {}) };
  if (outcome.kind === 'saved') return { kind: 'saved', say: userMessage('print.saved', { pickup }), path: outcome.path, pickup };
  return { kind: 'failed', say: userMessage('print.documentFailed', {}) };
}

export function casesModule(ctx: HostContext, sessions: SessionManager, options: CasesModuleOptions = {}): CasesHostModule {
  const logger = ctx.logger.child({ module: 'cases' });
  const drafts = options.drafts ?? new DraftBook();
  /** Cases submitted in each session: only these get their receipt printed again. */
  const submitted = new Map<string, Set<string>>();
  const fonts = options.fonts ?? new FontPicker();
  const code = options.terminalCode ?? terminalCode(ctx.config.terminalId);
  const documentsDir = join(ctx.config.dataDir, 'documents');
  let store: CaseStore | undefined;
  let scanningSession: string | undefined;
  const queryLimiter = new QueryLimiter(options.queryLimit);

  const requireStore = (): CaseStore => {
    if (!store) throw new ApiError('unavailable', 'cases are not ready yet');
    return store;
  };
  const content = (): ContentPackage => ctx.content();
  const departmentOf = (service: Service) => content().hall.departments.find((department) => department.id === service.departmentId);
  const serviceOf = (serviceId: string): Service | undefined => content().services.services.find((service) => service.id === serviceId);

  /** The item in the citizen's language: names, fee and materials from the content's English, each falling back to its Chinese. */
  const item = (service: Service): SelfServiceItem => {
    const locale = sessions.locale();
    const department = departmentOf(service);
    const texts = guideInLocale(service, department, locale);
    return {
      id: service.id,
      name: inLocale(locale, service.name, service.nameEn),
      department: department === undefined ? texts.agency : inLocale(locale, department.name, department.nameEn),
      promisedDays: service.guide.timeLimit.promisedDays,
      fee: texts.fee,
      materials: texts.materials.map((material, index) => ({
        index,
        name: material.name,
        required: material.required,
        copies: material.copies,
        original: material.original,
        note: material.note ?? null,
      })),
    };
  };

  const requireCitizen = (): { sessionId: string; citizen: CitizenIdentity } => {
    const session = sessions.current();
    const citizen = sessions.citizen();
    if (!session || !citizen) throw new ApiError('refused', userMessage('cases.cardRequired', {}), { reason: 'card-required' });
    return { sessionId: session.id, citizen };
  };

  const requireDraft = (): { sessionId: string; citizen: CitizenIdentity; draft: Draft; service: Service } => {
    const { sessionId, citizen } = requireCitizen();
    const draft = drafts.get(sessionId);
    if (!draft) throw new ApiError('not_found', userMessage('cases.noDraft', {}), { reason: 'no-draft' });
    const service = serviceOf(draft.serviceId);
    if (!service) throw new ApiError('not_found', userMessage('cases.serviceWithdrawn', {}), { reason: 'no-service' });
    return { sessionId, citizen, draft, service };
  };

  const missing = (draft: Draft, service: Service): number[] =>
    service.guide.materials.flatMap((material, index) => (material.required && !draft.reused.has(index) && !draft.pages.some((page) => page.materialIndex === index) ? [index] : []));

  const draftView = (draft: Draft, service: Service, citizen: CitizenIdentity): DraftView => ({
    draftId: draft.id,
    service: item(service),
    applicant: { maskedName: maskName(citizen.name), maskedIdNumber: maskIdNumber(citizen.idNumber), maskedAddress: maskAddress(citizen.address) },
    form: draft.form,
    pages: draft.pages.map(pageView),
    missing: missing(draft, service),
    reused: [...draft.reused.values()].map(({ materialIndex, materialId, name, submittedAt }) => ({ materialIndex, materialId, name, submittedAt })).sort((a, b) => a.materialIndex - b.materialIndex),
    reuseConsentAt: draft.reuseConsentAt,
  });

  const caseView = async (cases: CaseStore, stored: StoredCase): Promise<CaseView> => {
    const service = serviceOf(stored.serviceId);
    const applicant = await cases.applicant(stored.id);
    // In the citizen's language: names from the content's English (the stage keys stay Chinese in the store).
    const locale = sessions.locale();
    const { services } = content();
    const stageIn = (stage: string): string => inLocale(locale, stage, services.stagesEn?.[stage]);
    const department = service === undefined ? undefined : departmentOf(service);
    return {
      caseId: stored.id,
      preAcceptanceNumber: stored.number,
      serviceName: service === undefined ? stored.serviceId : inLocale(locale, service.name, service.nameEn),
      department: service === undefined ? '' : department === undefined ? service.guide.agency : inLocale(locale, department.name, department.nameEn),
      stage: stageIn(stored.stage),
      submittedAt: stored.submittedAt,
      updatedAt: stored.updatedAt,
      maskedName: applicant ? maskName(applicant.name) : '',
      stages: stageTimeline(services.stages, await cases.history(stored.id), stored.stage).map((entry) => ({ ...entry, stage: stageIn(entry.stage) })),
      hasResult: stored.hasResult,
    };
  };

  const receiptFacts = async (cases: CaseStore, stored: StoredCase): Promise<ReceiptFacts> => {
    const service = serviceOf(stored.serviceId);
    const applicant = await cases.applicant(stored.id);
    if (!service || !applicant) throw new ApiError('not_found', userMessage('cases.incomplete', {}));
    const department = departmentOf(service);
    const pageCounts = new Map<number, number>();
    for (const page of await cases.pages(stored.id)) pageCounts.set(page.materialIndex, (pageCounts.get(page.materialIndex) ?? 0) + 1);
    // The receipts follow the citizen's language: names from the content's English, words from printed-words.ts.
    const locale = sessions.locale();
    const { hall, services } = content();
    const words = printWords(locale);
    const stageIn = (stage: string): string => inLocale(locale, stage, services.stagesEn?.[stage]);
    const departmentName = department === undefined ? undefined : inLocale(locale, department.name, department.nameEn);
    return {
      hallName: inLocale(locale, hall.fullName, hall.fullNameEn),
      service,
      serviceName: inLocale(locale, service.name, service.nameEn),
      departmentName: departmentName ?? service.guide.agency,
      stored,
      applicant,
      pageCounts,
      reused: new Set((await cases.reusedMaterials(stored.id)).map((entry) => entry.materialIndex)),
      stages: services.stages.map(stageIn),
      stageName: stageIn(stored.stage),
      queryUrl: queryUrl(options.queryUrlBase ?? DEFAULT_QUERY_URL_BASE, stored.number),
      ...(department === undefined ? {} : { location: words.place(words.floorDepartment(words.floor(department.floor), departmentName ?? ''), words.windows(service.guide.windows)) }),
      locale,
    };
  };

  const printDocument = async (pdf: Buffer, filePrefix: string): Promise<PrintOutcomeView> => {
    const outcome = await printPdf(pdf, { ...(options.documentPrinter === undefined ? {} : { printer: options.documentPrinter }), fallbackDir: documentsDir, filePrefix, title: filePrefix, logger });
    if (outcome.kind === 'failed') logger.error({ error: outcome.error }, 'A4 document could not be printed or saved');
    const { hall } = content();
    return describePrint(outcome, inLocale(sessions.locale(), hall.documentPickup, hall.documentPickupEn));
  };

  const scanPage = async (draft: Draft, sessionId: string, materialIndex: number): Promise<NormalisedPage> => {
    const scanner = ctx.scanner;
    if (!scanner) throw new ApiError('unavailable', userMessage('cases.noScanner', {}), { reason: 'no-scanner' });
    scanningSession = sessionId;
    try {
      const pages = await scanner.scan(
        { resolution: options.scan?.resolution ?? 300, mode: options.scan?.mode ?? 'Color', source: 'flatbed' },
        ({ percent }) => ctx.bus.publish('cases.scanProgress', { materialIndex, percent: Math.max(0, Math.min(100, percent)) }),
      );
      const [first] = pages;
      if (!first) throw new ApiError('unavailable', userMessage('cases.noPage', {}), { reason: 'no-page' });
      return await normaliseScan(first.data, options.normalise);
    } catch (err) {
      if (err instanceof ScanError) {
        logger.warn({ code: err.code, detail: err.detail, draft: draft.id }, 'scan failed');
        throw new ApiError(SCAN_ERROR_API_CODES[err.code] ?? 'unavailable', userMessage(`scan.${err.code}`, {}), { reason: err.code });
      }
      throw err;
    } finally {
      scanningSession = undefined;
    }
  };

  sessions.onEnd(async (sessionId) => {
    drafts.discard(sessionId);
    submitted.delete(sessionId);
    if (scanningSession === sessionId) await ctx.scanner?.cancel();
  });

  return {
    name: 'cases',
    handlers: {
      'cases.services': () =>
        content()
          .services.services.filter((service) => service.selfService)
          .map(item),

      'cases.startDraft': ({ serviceId }) => {
        const { sessionId, citizen } = requireCitizen();
        const service = serviceOf(serviceId);
        if (!service?.selfService) throw new ApiError('not_found', userMessage('cases.notSelfService', {}), { field: 'serviceId' });
        const draft = drafts.start(sessionId, service.id);
        logger.info({ draft: draft.id, service: service.id }, 'draft started');
        return draftView(draft, service, citizen);
      },

      'cases.draft': () => {
        const session = sessions.current();
        const citizen = sessions.citizen();
        const draft = session && drafts.get(session.id);
        const service = draft && serviceOf(draft.serviceId);
        return draft && service && citizen ? draftView(draft, service, citizen) : null;
      },

      'cases.updateForm': (raw) => {
        const { draft, service, citizen } = requireDraft();
        const checked = checkForm(raw);
        if (!checked.ok) throw new ApiError('bad_request', checked.problem.say, { field: checked.problem.field });
        draft.form = checked.form;
        return draftView(draft, service, citizen);
      },

      'cases.scanPage': async ({ materialIndex, replacePageId }) => {
        const { sessionId, draft, service } = requireDraft();
        if (materialIndex >= service.guide.materials.length) throw new ApiError('bad_request', userMessage('cases.noSuchMaterial', {}), { field: 'materialIndex' });
        if (replacePageId !== undefined && !draft.pages.some((page) => page.id === replacePageId)) throw new ApiError('not_found', userMessage('cases.pageGone', {}), { field: 'replacePageId' });
        const limit = drafts.pageLimit(draft, materialIndex, replacePageId !== undefined);
        if (limit !== null) throw new ApiError('refused', limit, { reason: 'page-limit' });
        const page = await scanPage(draft, sessionId, materialIndex);
        // The visit may have ended while the scanner ran: its draft is gone, so is this page.
        if (drafts.get(sessionId) !== draft) {
          page.jpeg.fill(0);
          throw new ApiError('refused', userMessage('cases.sessionEnded', {}), { reason: 'session-ended' });
        }
        // Scanning a material she had chosen to reuse: the scan takes its place.
        if (draft.reused.delete(materialIndex)) logger.info({ draft: draft.id, materialIndex }, 'reused material replaced by a scan');
        return pageView(drafts.putPage(draft, { materialIndex, ...page }, replacePageId));
      },

      'cases.cancelScan': async () => {
        await ctx.scanner?.cancel();
        return { ok: true as const };
      },

      'cases.deletePage': ({ pageId }) => {
        const { draft, service, citizen } = requireDraft();
        if (!drafts.deletePage(draft, pageId)) throw new ApiError('not_found', userMessage('cases.pageGone', {}), { field: 'pageId' });
        return draftView(draft, service, citizen);
      },

      'cases.reusableMaterials': async (): Promise<ReuseOffers> => {
        const { citizen, draft, service } = requireDraft();
        const lookup = options.reusableMaterials;
        const answer = lookup === undefined ? ({ kind: 'off' } as const) : await lookup(citizen.idNumber);
        if (answer.kind !== 'ok') {
          draft.offers = [];
          logger.info({ draft: draft.id, availability: answer.kind }, 'reusable materials not available');
          return answer.kind === 'off' ? { availability: 'off', offers: [] } : { availability: 'unavailable', offers: [], say: userMessage('cases.reuseUnavailable', {}) };
        }
        draft.offers = reuseOffers(service.guide.materials, answer.materials, ctx.now());
        logger.info({ draft: draft.id, listed: answer.materials.length, offered: draft.offers.length }, 'reusable materials offered');
        return { availability: 'ok', offers: draft.offers };
      },

      'cases.consentReuse': ({ consent }) => {
        const { draft, service, citizen } = requireDraft();
        draft.reuseConsentAt = consent ? ctx.now().toISOString() : null;
        if (!consent) draft.reused.clear();
        logger.info({ draft: draft.id, consent }, 'reuse consent');
        return draftView(draft, service, citizen);
      },

      'cases.reuseMaterial': ({ materialIndex, materialId }) => {
        const { draft, service, citizen } = requireDraft();
        const refusal = reuseRefusal({ materialIndex, materialId }, draft.offers, draft.reuseConsentAt);
        if (refusal !== null) {
          // An id not offered to her (another person's, or made up) is refused here; the platform checks again.
          logger.warn({ draft: draft.id, materialIndex, materialId, refusal }, 'material reuse refused');
          throw new ApiError('refused', userMessage(refusal === 'consent-required' ? 'cases.reuseConsentRequired' : 'cases.reuseNotOffered', {}), { reason: refusal, field: 'materialId' });
        }
        const offer = draft.offers.find((candidate) => candidate.materialIndex === materialIndex && candidate.materialId === materialId);
        if (offer) drafts.reuse(draft, offer);
        logger.info({ draft: draft.id, materialIndex, materialId }, 'material reused');
        return draftView(draft, service, citizen);
      },

      'cases.stopReuse': ({ materialIndex }) => {
        const { draft, service, citizen } = requireDraft();
        draft.reused.delete(materialIndex);
        return draftView(draft, service, citizen);
      },

      'cases.submit': async () => {
        const { sessionId, citizen, draft, service } = requireDraft();
        const cases = requireStore();
        const checked = checkForm(draft.form);
        if (!checked.ok) throw new ApiError('bad_request', checked.problem.say, { field: checked.problem.field });
        if (checked.form.phone === '') throw new ApiError('bad_request', userMessage('cases.phoneRequired', {}), { field: 'phone' });
        const absent = missing(draft, service);
        if (absent.length > 0) {
          const locale = sessions.locale();
          const inLanguage = guideInLocale(service, departmentOf(service), locale).materials;
          const names = absent.map((index) => inLanguage[index]?.name ?? String(index)).join(locale === 'en' ? ', ' : '、');
          throw new ApiError('refused', userMessage('cases.materialsMissing', { materials: names }), { field: 'materials', missing: absent });
        }
        const stage = content().services.stages[0] ?? '申请';
        const stored = await cases.submit(
          {
            serviceId: service.id,
            stage,
            applicant: { name: citizen.name, idNumber: citizen.idNumber, address: citizen.address, ...checked.form },
            pages: draft.pages.map(({ materialIndex, jpeg, width, height }) => ({ materialIndex, jpeg, width, height })),
            materialNames: service.guide.materials.map((material) => material.name),
            reused: [...draft.reused.values()].map(({ materialIndex, materialId }) => ({ materialIndex, materialId })),
            reuseConsentAt: draft.reuseConsentAt,
          },
          { terminalId: ctx.config.terminalId, terminalCode: code, now: ctx.now() },
        );
        drafts.discard(sessionId);
        const mine = submitted.get(sessionId) ?? new Set<string>();
        mine.add(stored.id);
        submitted.set(sessionId, mine);
        logger.info({ caseId: stored.id, number: stored.number, service: service.id, pages: draft.pages.length, reused: draft.reused.size }, 'case submitted');
        return { preAcceptanceNumber: stored.number, caseId: stored.id, stage: stored.stage };
      },

      'cases.printReceipt': async ({ caseId, format }) => {
        const session = sessions.current();
        if (!session || !submitted.get(session.id)?.has(caseId)) throw new ApiError('refused', userMessage('cases.receiptOtherSession', {}), { reason: 'not-this-session' });
        const cases = requireStore();
        const stored = await cases.byId(caseId);
        if (!stored) throw new ApiError('not_found', userMessage('cases.notFound', {}));
        const facts = await receiptFacts(cases, stored);
        if (format === 'a4') return printDocument(await receiptPdf(a4Receipt(facts), { fonts, logger, locale: sessions.locale() }), `receipt-${stored.number}`);
        if (!ctx.printer) return { kind: 'failed', say: userMessage('print.noReceiptPrinterUseA4', {}) };
        const result = await ctx.printer.printer.print(slipDoc(facts, ctx.now()));
        if (!result.printed) logger.warn({ reason: result.reason, caseId }, 'receipt slip not printed');
        return result.printed ? { kind: 'printed', say: userMessage('print.slipPrinted', {}) } : { kind: 'failed', say: userMessage('print.failed', { reason: result.reason }) };
      },

      'cases.query': async ({ number, phoneLast4: digits }) => {
        const canonical = parsePreAcceptanceNumber(number);
        if (canonical === null) throw new ApiError('bad_request', userMessage('cases.badNumber', {}), { field: 'number', reason: 'bad-number' });
        const cases = requireStore();
        const nowMs = ctx.now().getTime();
        const citizen = sessions.citizen();
        const stored = await cases.byNumber(canonical);
        // The citizen's own case (card login) needs no second factor and is not rate-limited.
        if (stored && citizen && (await cases.belongsTo(stored.id, citizen.idNumber))) {
          logger.info({ number: maskNumber(canonical), outcome: 'own-case' }, 'progress query');
          return caseView(cases, stored);
        }
        // Everyone else: the phone's last 4 digits. Asked before anything is looked up for the answer, so
        // the reply says nothing about whether the number exists.
        if (digits === undefined) {
          logger.info({ number: maskNumber(canonical), outcome: 'second-factor-needed' }, 'progress query');
          throw new ApiError('refused', userMessage('cases.needPhone', {}), { field: 'phoneLast4', reason: 'second-factor' });
        }
        const blocked = queryLimiter.blockedFor(nowMs);
        if (blocked > 0) {
          const retryAfterSeconds = Math.ceil(blocked / 1000);
          logger.warn({ number: maskNumber(canonical), outcome: 'rate-limited', retryAfterSeconds }, 'progress query');
          throw new ApiError('refused', userMessage('cases.rateLimited', { minutes: Math.ceil(retryAfterSeconds / 60) }), { reason: 'rate-limited', retryAfterSeconds });
        }
        const applicant = stored && (await cases.applicant(stored.id));
        if (!stored || !applicant || !sameSecret(digits, phoneLast4(applicant.phone))) {
          const failures = queryLimiter.fail(nowMs);
          logger.warn({ number: maskNumber(canonical), outcome: 'no-match', failuresInWindow: failures }, 'progress query');
          throw new ApiError('not_found', userMessage('cases.noMatch', {}), { field: 'number', reason: 'no-match' });
        }
        logger.info({ number: maskNumber(canonical), outcome: 'second-factor' }, 'progress query');
        return caseView(cases, stored);
      },

      'cases.mine': async () => {
        const { citizen } = requireCitizen();
        const cases = requireStore();
        return Promise.all((await cases.byApplicant(citizen.idNumber)).map((stored) => caseView(cases, stored)));
      },

      'cases.printResult': async ({ caseId }) => {
        const { citizen } = requireCitizen();
        const cases = requireStore();
        const stored = await cases.byId(caseId);
        if (!stored || !(await cases.belongsTo(caseId, citizen.idNumber))) throw new ApiError('not_found', userMessage('cases.notYours', {}));
        const result = await cases.result(caseId);
        if (!result) throw new ApiError('refused', userMessage('cases.noResult', {}), { reason: 'no-result' });
        const locale = sessions.locale();
        const { hall } = content();
        const pdf = await resultPdf(
          { hallName: inLocale(locale, hall.fullName, hall.fullNameEn), title: result.title, body: result.body, number: stored.number, applicantName: maskName(citizen.name), date: ctx.now() },
          { fonts, logger, locale },
        );
        return printDocument(pdf, `result-${stored.number}`);
      },
    },

    pageBlobs: {
      read: (sha256) => requireStore().pageBySha256(sha256),
      async release(hashes) {
        const released = await requireStore().releasePages(hashes, ctx.now());
        logger.info({ pages: released }, 'page images released: the platform holds them and the retention has passed');
      },
    },
    async applyCaseStatus(changes) {
      const cases = requireStore();
      const stages = content().services.stages;
      for (const change of changes) {
        const stage = stageOf(change.status, stages);
        if (stage === null) {
          logger.warn({ seq: change.seq, status: change.status }, 'case status change with an unknown stage ignored');
          continue;
        }
        const reached = stages.indexOf(stage);
        const known = (await cases.byId(change.caseId)) ?? (await cases.byNumber(change.caseId));
        const result =
          change.resultDocument ??
          (reached >= RESULT_STAGE_FROM && change.note !== undefined && change.note.trim() !== ''
            ? { title: `${(known && serviceOf(known.serviceId)?.name) ?? ''}办理结果`, body: change.note }
            : undefined);
        const outcome = await cases.applyChange({ seq: change.seq, caseId: change.caseId, stage, at: change.changedAt, ...(result === undefined ? {} : { result }) }, ctx.now());
        logger.info({ seq: change.seq, stage, outcome }, 'case status change');
      }
    },

    async start() {
      store = await CaseStore.open(ctx.db, ctx.outbox, ctx.key);
    },

    async stop() {
      drafts.discardAll();
      submitted.clear();
    },
  };
}

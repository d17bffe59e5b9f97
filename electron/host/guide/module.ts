import { createHmac, randomUUID } from 'node:crypto';
import { replyPageKey } from '../../../platform-contract/contract.js';
import { join } from 'node:path';
import { receiptDoc } from '../../../devices/printer/index.js';
import { maskName } from '../../common/pii.js';
import { ApiError, userMessage, type FeedbackSlipOutcome, type GuidePrintForm, type GuidePrintOutcome, type ServiceGuide, type ServiceSummary } from '../../contract/index.js';
import type { ContentPackage, Service } from '../content/schema.js';
import { inLocale } from '../content/english.js';
import { guidePdf, printPdf } from '../docs/index.js';
import type { HostContext, HostModule } from '../module.js';
import type { SessionManager } from '../session/manager.js';
import { findService, guideCatalog, guideReceiptLines, listServices, serviceGuide } from './catalog.js';
import { checkFeedback, type CleanFeedback } from './feedback.js';
import { ticketQrBase } from '../queue/ticket-link.js';
import type { HallRatingsOutlet } from '../queue/module.js';
import { HallRating } from '../../../hall/protocol/index.js';
import { feedbackSlipDoc, replyPageToken, replyPageUrl } from './slip.js';
import { buildGuideSearchIndex, searchServices, type GuideSearchIndex } from './search.js';
import { feedbackLookupSecret, feedbackMigrations, feedbackOf, storeFeedback, storeReplies, type FeedbackReply } from './store.js';

/**
 * The guide capability in the host: browse and search the service guide,
 * show a service's guide, print it (receipt short form or A4 PDF), and take
 * consultations, complaints and ratings into storage + outbox.
 */
export interface GuideModuleOptions {
  /** CUPS queue for A4 guides; without one the PDF is saved under <dataDir>/documents. */
  a4Printer?: string;
  /** The platform's public URL (config `platform.publicUrl`): consultation slips carry a QR to the phone page there. */
  replyPageBase?: string;
  /** The queue module's outlet: each rating is also kept for the hall service's statistics (stars, department, reasons; nothing personal). */
  hallRatings?: HallRatingsOutlet;
}

export interface GuideHostModule extends HostModule {
  /** For the sync module: staff answers pulled from the platform, stored against this kiosk's consultations (idempotent). */
  applyReplies(replies: readonly FeedbackReply[]): Promise<void>;
}

export function guideModule(ctx: HostContext, sessions: SessionManager, options: GuideModuleOptions = {}): GuideHostModule {
  const logger = ctx.logger.child({ module: 'guide' });
  let lookupSecret: Buffer | undefined;
  /** The keyed hash of an ID number (HMAC-SHA256 with this kiosk's sealed lookup secret): never the number itself. */
  const citizenKey = (idNumber: string): string => {
    if (lookupSecret === undefined) throw new ApiError('unavailable', 'feedback is not ready yet');
    return createHmac('sha256', lookupSecret).update(idNumber.trim().toUpperCase()).digest('hex');
  };
  /** Where slip QR codes point, judged like the ticket's (a loopback or missing address gives no QR). */
  const slipLink = ticketQrBase(options.replyPageBase);
  /** Consultations and complaints of the current visits, for their slip: the token lives here only, until the visit ends. */
  const slips = new Map<string, { sessionId: string | null; kind: 'consultation' | 'complaint'; category: string; at: Date; withCard: boolean; token: string | null }>();
  const MAX_SLIPS = 50;
  sessions.onEnd((sessionId) => {
    for (const [id, slip] of slips) if (slip.sessionId === sessionId) slips.delete(id);
  });
  let index: { hash: string; search: GuideSearchIndex } | undefined;
  const searchIndex = (content: ContentPackage): GuideSearchIndex => {
    if (index?.hash !== content.hash) index = { hash: content.hash, search: buildGuideSearchIndex(content) };
    return index.search;
  };

  const serviceOrThrow = (serviceId: string): Service => {
    const service = findService(ctx.content(), serviceId);
    if (service === undefined) throw new ApiError('not_found', userMessage('guide.unknownService', {}), { serviceId });
    return service;
  };

  const printOnReceipt = async (service: Service): Promise<GuidePrintOutcome> => {
    const form: GuidePrintForm = 'receipt';
    if (ctx.printer === undefined) return { kind: 'failed', form, say: userMessage('print.noReceiptPrinter', {}) };
    const content = ctx.content();
    const locale = sessions.locale();
    const { title, lines } = guideReceiptLines(guideInCitizensLanguage(serviceGuide(content, service, locale)), locale);
    const result = await ctx.printer.printer.print(receiptDoc(title, lines, undefined, { issuedAt: ctx.now(), footer: inLocale(locale, content.hall.name, content.hall.nameEn), locale }));
    logger.info({ serviceId: service.id, form, printed: result.printed, reason: result.printed ? undefined : result.reason }, 'guide printed');
    if (!result.printed) return { kind: 'failed', form, say: userMessage('print.failed', { reason: result.reason }) };
    return { kind: 'printed', form, printer: 'receipt', ...(result.warning !== undefined ? { warning: userMessage('print.paperNearEnd', {}) } : {}) };
  };

  const printOnA4 = async (service: Service): Promise<GuidePrintOutcome> => {
    const form: GuidePrintForm = 'a4';
    try {
      const { hall, services } = ctx.content();
      const pdf = await guidePdf(service, hall, {
        logger,
        locale: sessions.locale(),
        ...(services.onlineModesEn !== undefined ? { onlineModesEn: services.onlineModesEn } : {}),
        ...(services.stagesEn !== undefined ? { stagesEn: services.stagesEn } : {}),
      });
      const outcome = await printPdf(pdf, {
        ...(options.a4Printer !== undefined ? { printer: options.a4Printer } : {}),
        fallbackDir: join(ctx.config.dataDir, 'documents'),
        title: 'liuliu-guide',
        filePrefix: `guide-${service.id}`,
        logger,
      });
      logger.info({ serviceId: service.id, form, outcome: outcome.kind }, 'guide printed');
      switch (outcome.kind) {
        case 'printed':
          return { kind: 'printed', form, printer: outcome.printer };
        case 'saved':
          return { kind: 'saved', form, path: outcome.path, reason: outcome.reason, pickup: inLocale(sessions.locale(), hall.documentPickup, hall.documentPickupEn) };
        case 'failed':
          return { kind: 'failed', form, say: userMessage('print.documentFailed', {}) };
      }
    } catch (err) {
      logger.error({ err, serviceId: service.id }, 'guide PDF failed');
      return { kind: 'failed', form, say: userMessage('print.documentFailed', {}) };
    }
  };

  /** Names in the citizen's language (content `nameEn`); the guide's long texts are `serviceGuide`'s (in her language where the content has English). */
  const inCitizensLanguage = (summary: ServiceSummary): ServiceSummary => {
    if (sessions.locale() !== 'en') return summary;
    const content = ctx.content();
    const service = content.services.services.find((s) => s.id === summary.id);
    const department = content.hall.departments.find((d) => d.id === summary.departmentId);
    return { ...summary, name: service?.nameEn ?? summary.name, departmentName: department?.nameEn ?? summary.departmentName, online: content.services.onlineModesEn?.[summary.online] ?? summary.online };
  };
  const guideInCitizensLanguage = (guide: ServiceGuide): ServiceGuide => {
    if (sessions.locale() !== 'en') return guide;
    const department = ctx.content().hall.departments.find((d) => d.id === guide.service.departmentId);
    const service = inCitizensLanguage(guide.service);
    return {
      ...guide,
      service,
      departmentFullName: department?.fullNameEn ?? guide.departmentFullName,
      location: `Floor ${service.floor}, ${service.departmentName}, windows ${service.windows.join(', ')}`,
      related: guide.related.map(inCitizensLanguage),
    };
  };

  /**
   * What the hall service gets of a rating: stars, reasons, the department
   * (named, else the rated service's) and service, when — no text, no name.
   * A rating that would not pass the hall protocol is left out of the hall's
   * figures (logged), never refused to the citizen: the platform still gets it.
   */
  const hallRatingOf = (id: string, at: Date, rating: Extract<CleanFeedback, { kind: 'rating' }>): HallRating | null => {
    const departmentId = rating.departmentId ?? (rating.serviceId === undefined ? undefined : findService(ctx.content(), rating.serviceId)?.departmentId);
    const parsed = HallRating.safeParse({
      id,
      at: at.toISOString(),
      stars: rating.stars,
      reasons: rating.reasons,
      ...(departmentId === undefined ? {} : { departmentId }),
      ...(rating.serviceId === undefined ? {} : { serviceId: rating.serviceId }),
    });
    if (parsed.success) return parsed.data;
    logger.error({ id, problem: parsed.error.issues.map((i) => i.path.join('.')).join(', ') }, 'rating not kept for the hall service: it does not fit the hall protocol');
    return null;
  };

  return {
    name: 'guide',
    async start() {
      await ctx.db.migrate('feedback', feedbackMigrations);
      lookupSecret = await feedbackLookupSecret(ctx.db, ctx.key);
    },
    async applyReplies(replies) {
      const stored = await storeReplies(ctx.db, ctx.key, replies);
      if (stored > 0) logger.info({ replies: stored }, 'staff replies to consultations stored');
    },
    handlers: {
      'guide.catalog': () => guideCatalog(ctx.content(), sessions.locale()),
      'guide.list': ({ filter }) => listServices(ctx.content(), filter).map(inCitizensLanguage),
      'guide.search': ({ query, limit }) => searchServices(searchIndex(ctx.content()), query, limit).map((hit) => ({ ...hit, service: inCitizensLanguage(hit.service) })),
      'guide.detail': ({ serviceId }) => guideInCitizensLanguage(serviceGuide(ctx.content(), serviceOrThrow(serviceId), sessions.locale())),
      'guide.print': ({ serviceId, form }) => {
        const service = serviceOrThrow(serviceId);
        return form === 'receipt' ? printOnReceipt(service) : printOnA4(service);
      },
      'feedback.submit': async (submission) => {
        const checked = checkFeedback(submission);
        if (!checked.ok) {
          logger.info({ kind: submission.kind, field: checked.problem.field }, 'feedback refused');
          throw new ApiError('bad_request', checked.problem.say, { field: checked.problem.field });
        }
        if (checked.value.serviceId !== undefined) serviceOrThrow(checked.value.serviceId);
        const departmentId = checked.value.kind === 'rating' ? checked.value.departmentId : undefined;
        if (departmentId !== undefined && !ctx.content().hall.departments.some((department) => department.id === departmentId))
          throw new ApiError('not_found', userMessage('guide.unknownDepartment', {}), { departmentId });
        const session = sessions.current();
        const citizen = sessions.citizen();
        const at = ctx.now();
        const id = randomUUID();
        const feedback = checked.value;
        // Her phone page: only the hash of the slip's token travels; the token itself stays here for the slip.
        const token = feedback.kind !== 'rating' && slipLink.base !== null ? replyPageToken() : null;
        const outlet = options.hallRatings;
        const forHall = feedback.kind === 'rating' && outlet !== undefined ? hallRatingOf(id, at, feedback) : null;
        await storeFeedback(ctx.db, ctx.outbox, ctx.key, {
          id,
          at,
          terminalId: ctx.config.terminalId,
          sessionId: session?.id ?? null,
          ...(citizen !== undefined ? { maskedName: maskName(citizen.name), citizenKey: citizenKey(citizen.idNumber) } : {}),
          ...(token === null ? {} : { replyPageKey: replyPageKey(token) }),
          feedback,
        }, forHall === null || outlet === undefined ? undefined : (tx) => outlet.enqueue(tx, forHall));
        if (forHall !== null) outlet?.flush();
        if (feedback.kind !== 'rating') {
          if (slips.size >= MAX_SLIPS) slips.delete(slips.keys().next().value ?? '');
          slips.set(id, { sessionId: session?.id ?? null, kind: feedback.kind, category: feedback.category, at, withCard: citizen !== undefined, token });
        }
        logger.info({ id, kind: checked.value.kind }, 'feedback stored');
        return { id, kind: checked.value.kind, receivedAt: at.toISOString() };
      },
      'feedback.printSlip': async ({ id }): Promise<FeedbackSlipOutcome> => {
        const slip = slips.get(id);
        if (slip === undefined || slip.sessionId !== (sessions.current()?.id ?? null)) {
          logger.warn({ id }, 'consultation slip refused: not left in this visit');
          throw new ApiError('refused', userMessage('feedback.slipOtherSession', {}), { reason: 'not-this-session' });
        }
        const pageUrl = slip.token !== null && slipLink.base !== null ? replyPageUrl(slipLink.base, slip.token) : null;
        if (ctx.printer === undefined) return { kind: 'failed', qr: false, say: userMessage('print.noReceiptPrinter', {}) };
        const locale = sessions.locale();
        const hall = ctx.content().hall;
        const result = await ctx.printer.printer.print(feedbackSlipDoc({ ...slip, pageUrl, hallName: inLocale(locale, hall.name, hall.nameEn), locale }, ctx.now()));
        logger.info({ id, kind: slip.kind, qr: pageUrl !== null, printed: result.printed, reason: result.printed ? undefined : result.reason }, 'consultation slip printed');
        if (!result.printed) return { kind: 'failed', qr: false, say: userMessage('print.failed', { reason: result.reason }) };
        return { kind: 'printed', qr: pageUrl !== null, ...(result.warning !== undefined ? { warning: userMessage('print.paperNearEnd', {}) } : {}) };
      },
      'feedback.slipLink': () => slipLink,
      'feedback.mine': async () => {
        const citizen = sessions.citizen();
        if (citizen === undefined) throw new ApiError('refused', userMessage('feedback.cardRequired', {}), { reason: 'card-required' });
        return feedbackOf(ctx.db, ctx.key, citizenKey(citizen.idNumber));
      },
    },
  };
}

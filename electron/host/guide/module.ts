import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { receiptDoc } from '../../../devices/printer/index.js';
import { maskName } from '../../common/pii.js';
import { ApiError, type GuidePrintForm, type GuidePrintOutcome } from '../../contract/index.js';
import type { ContentPackage, Service } from '../content/schema.js';
import { guidePdf, printPdf } from '../docs/index.js';
import type { HostContext, HostModule } from '../module.js';
import type { SessionManager } from '../session/manager.js';
import { findService, guideCatalog, guideReceiptLines, listServices, serviceGuide } from './catalog.js';
import { checkFeedback } from './feedback.js';
import { buildGuideSearchIndex, searchServices, type GuideSearchIndex } from './search.js';
import { feedbackMigrations, storeFeedback } from './store.js';

/**
 * The guide capability in the host: browse and search the service guide,
 * show a service's guide, print it (receipt short form or A4 PDF), and take
 * consultations, complaints and ratings into storage + outbox.
 */
export interface GuideModuleOptions {
  /** CUPS queue for A4 guides; without one the PDF is saved under <dataDir>/documents. */
  a4Printer?: string;
}

export function guideModule(ctx: HostContext, sessions: SessionManager, options: GuideModuleOptions = {}): HostModule {
  const logger = ctx.logger.child({ module: 'guide' });
  let index: { hash: string; search: GuideSearchIndex } | undefined;
  const searchIndex = (content: ContentPackage): GuideSearchIndex => {
    if (index?.hash !== content.hash) index = { hash: content.hash, search: buildGuideSearchIndex(content) };
    return index.search;
  };

  const serviceOrThrow = (serviceId: string): Service => {
    const service = findService(ctx.content(), serviceId);
    if (service === undefined) throw new ApiError('not_found', `no service "${serviceId}" in the guide`);
    return service;
  };

  const printOnReceipt = async (service: Service): Promise<GuidePrintOutcome> => {
    const form: GuidePrintForm = 'receipt';
    if (ctx.printer === undefined) return { kind: 'failed', form, message: '本机未配置小票打印机' };
    const content = ctx.content();
    const { title, lines } = guideReceiptLines(serviceGuide(content, service));
    const result = await ctx.printer.printer.print(receiptDoc(title, lines, undefined, { issuedAt: ctx.now(), footer: content.hall.name }));
    logger.info({ serviceId: service.id, form, printed: result.printed, reason: result.printed ? undefined : result.reason }, 'guide printed');
    if (!result.printed) return { kind: 'failed', form, message: result.message };
    return { kind: 'printed', form, printer: 'receipt', ...(result.warning !== undefined ? { warning: result.warning.message } : {}) };
  };

  const printOnA4 = async (service: Service): Promise<GuidePrintOutcome> => {
    const form: GuidePrintForm = 'a4';
    try {
      const pdf = await guidePdf(service, ctx.content().hall, { logger });
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
          return { kind: 'saved', form, path: outcome.path, reason: outcome.reason, pickup: ctx.content().hall.documentPickup };
        case 'failed':
          return { kind: 'failed', form, message: outcome.error };
      }
    } catch (err) {
      logger.error({ err, serviceId: service.id }, 'guide PDF failed');
      return { kind: 'failed', form, message: '指南文档生成失败，请联系工作人员' };
    }
  };

  return {
    name: 'guide',
    async start() {
      await ctx.db.migrate('feedback', feedbackMigrations);
    },
    handlers: {
      'guide.catalog': () => guideCatalog(ctx.content()),
      'guide.list': ({ filter }) => listServices(ctx.content(), filter),
      'guide.search': ({ query, limit }) => searchServices(searchIndex(ctx.content()), query, limit),
      'guide.detail': ({ serviceId }) => serviceGuide(ctx.content(), serviceOrThrow(serviceId)),
      'guide.print': ({ serviceId, form }) => {
        const service = serviceOrThrow(serviceId);
        return form === 'receipt' ? printOnReceipt(service) : printOnA4(service);
      },
      'feedback.submit': async (submission) => {
        const checked = checkFeedback(submission);
        if (!checked.ok) {
          logger.info({ kind: submission.kind, field: checked.problem.field }, 'feedback refused');
          throw new ApiError('bad_request', checked.problem.messageZh, { ...checked.problem });
        }
        if (checked.value.serviceId !== undefined) serviceOrThrow(checked.value.serviceId);
        const departmentId = checked.value.kind === 'rating' ? checked.value.departmentId : undefined;
        if (departmentId !== undefined && !ctx.content().hall.departments.some((department) => department.id === departmentId))
          throw new ApiError('not_found', `no department "${departmentId}" in the hall`);
        const session = sessions.current();
        const citizen = sessions.citizen();
        const at = ctx.now();
        const id = randomUUID();
        await storeFeedback(ctx.db, ctx.outbox, ctx.key, {
          id,
          at,
          terminalId: ctx.config.terminalId,
          sessionId: session?.id ?? null,
          ...(citizen !== undefined ? { maskedName: maskName(citizen.name) } : {}),
          feedback: checked.value,
        });
        logger.info({ id, kind: checked.value.kind }, 'feedback stored');
        return { id, kind: checked.value.kind, receivedAt: at.toISOString() };
      },
    },
  };
}

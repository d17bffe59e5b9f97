import QRCode from 'qrcode';
import { maskIdNumber, maskName } from '../../common/pii.js';
import type { Hall, Service } from '../content/schema.js';
import { guideInLocale, inLocale } from '../content/english.js';
import type { Logger } from '../logging/logger.js';
import { FontPicker } from './fonts.js';
import { renderDocument } from './layout.js';
import type { DocWriter, DocumentInfo } from './layout.js';
import { printWords, type PrintLocale, type PrintWords } from '../../common/printed-words.js';
import { cleanLine, formatChineseDate, formatChineseDateTime } from './text.js';

/**
 * The printable A4 documents: 受理回执 (pre-application receipt), 办事指南
 * (service guide) and a case result. Each takes plain data and resolves to
 * PDF bytes; names and ID numbers are masked here, whatever the caller passes.
 */
export interface DocumentOptions {
  /** Shared font picker (reads the font once); default: one per process. */
  fonts?: FontPicker;
  /** Time zone for printed dates. Default Asia/Shanghai. */
  timeZone?: string;
  /** Told (count only, no characters: they may be part of a name) when some characters have no glyph. */
  logger?: Logger;
  /** The citizen's language for the document's own words (electron/common/printed-words.ts); zh-CN when absent. */
  locale?: PrintLocale;
  /** The content's English for its online modes (services.json `onlineModesEn`), for a guide in English. */
  onlineModesEn?: Readonly<Record<string, string>>;
  /** The content's English for its stages (services.json `stagesEn`), for a guide's steps in English. */
  stagesEn?: Readonly<Record<string, string>>;
}

/** English labels are longer than their Chinese ("Pre-acceptance number" for 预受理编号): a wider label column keeps each on one line. */
function labelWidthFor(locale: PrintLocale | undefined): number {
  return locale === 'en' ? 150 : 96;
}

/** Chinese characters: the department's own words in a document printed in English. */
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff]/;

/** The document's title, hall, page foot and PDF language in the citizen's language. */
function documentInfo(title: string, hallName: string, locale: PrintLocale | undefined): DocumentInfo {
  return { title, hallName, footer: printWords(locale).a4PageFooter, lang: locale ?? 'zh-CN' };
}

/** `2026年11月24日` / `2026-11-24` in the hall's time zone. */
function dateIn(words: PrintWords, date: Date, timeZone: string): string {
  const [year = '', month = '', day = ''] = formatChineseDate(date, timeZone).replace('日', '').split(/[年月]/);
  return words.a4Date(year, month, day);
}

/** `2026年11月24日 14:05` / `2026-11-24 14:05` in the hall's time zone. */
function dateTimeIn(words: PrintWords, date: Date, timeZone: string): string {
  const [day = '', time = ''] = formatChineseDateTime(date, timeZone).split(' ');
  const [year = '', month = '', dayOfMonth = ''] = day.replace('日', '').split(/[年月]/);
  return words.a4DateTime(year, month, dayOfMonth, time);
}

export class DocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DocumentError';
  }
}

export interface ReceiptMaterial {
  name: string;
  copies?: number;
  /** Scanned pages received for this material. */
  pages?: number;
  note?: string;
}

export interface ReceiptData {
  hallName: string;
  /** Default 预受理回执. */
  title?: string;
  /** Pre-acceptance number, e.g. YS20261124-0007. */
  number: string;
  serviceName: string;
  /** Printed masked (张*丰). */
  applicantName: string;
  /** Printed masked (430181********1239). */
  idNumber: string;
  materials: readonly ReceiptMaterial[];
  date: Date;
  /** The stages of the case, e.g. services.json `stages`; `currentStage` is marked. */
  stages: readonly string[];
  currentStage?: string;
  /** Encoded in the QR code and printed beneath it. */
  queryUrl: string;
  notes?: readonly string[];
  /** Where to go next, e.g. 一楼综合受理区 3—8号窗口. */
  location?: string;
}

export interface ResultData {
  hallName: string;
  title: string;
  body: string;
  /** Case or document number, printed under the title. */
  number?: string;
  applicantName?: string;
  date?: Date;
}

const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
/** A QR code at error-correction level M holds about 2,300 bytes; keep URLs far below. */
const MAX_QUERY_URL_LENGTH = 1_000;
let sharedFonts: FontPicker | undefined;

function fontFor(options: DocumentOptions, texts: string[]): ReturnType<FontPicker['choose']> {
  const picker = options.fonts ?? (sharedFonts ??= new FontPicker());
  const font = picker.choose(texts);
  if (font.missing.length > 0) options.logger?.warn({ missingCharacters: font.missing.length }, 'document has characters no font can print');
  return font;
}

export async function receiptPdf(data: ReceiptData, options: DocumentOptions = {}): Promise<Buffer> {
  const queryUrl = cleanLine(data.queryUrl);
  if (queryUrl.length === 0 || queryUrl.length > MAX_QUERY_URL_LENGTH) throw new DocumentError(`query URL must be 1–${MAX_QUERY_URL_LENGTH} characters, got ${queryUrl.length}`);
  const qr = await QRCode.toBuffer(queryUrl, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 360 });
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const words = printWords(options.locale);
  const title = data.title ?? words.a4ReceiptTitle;
  const applicant = maskName(cleanLine(data.applicantName));
  const idNumber = maskIdNumber(cleanLine(data.idNumber));
  const notes = data.notes ?? [];
  const materialRows = data.materials.map((material, index) => [
    String(index + 1),
    material.name,
    [material.copies === undefined ? '' : words.a4Copies(material.copies), material.pages === undefined ? '' : words.a4Pages(material.pages)].filter((part) => part !== '').join(' / ') || '—',
    material.note ?? '',
  ]);
  const stageLine = data.stages.map((stage) => (stage === data.currentStage ? words.a4Current(stage) : stage)).join(' → ');
  // Fixed labels are all in the bundled subset; only data decides the font.
  const texts = [data.hallName, title, data.number, data.serviceName, applicant, idNumber, queryUrl, stageLine, data.location ?? '', ...notes, ...materialRows.flat()];
  return renderDocument(documentInfo(title, data.hallName, options.locale), fontFor(options, texts), (writer) => {
    writer.title(title, data.hallName);
    writer.heading(words.a4Application);
    writer.fields([
      [words.caseNumberLong, data.number],
      [words.caseServiceLong, data.serviceName],
      [words.caseApplicant, applicant],
      [words.caseIdNumberLong, idNumber],
      [words.caseSubmittedAt, dateTimeIn(words, data.date, timeZone)],
      ...(data.location === undefined ? [] : [[words.a4Place, data.location] as const]),
    ], labelWidthFor(options.locale), words.colon);
    writer.heading(words.a4Received);
    if (materialRows.length === 0) writer.paragraph(words.a4NoMaterials, { muted: true });
    else
      writer.table(
        [
          { header: words.a4No, share: 1 },
          { header: words.a4MaterialName, share: 6 },
          { header: words.a4Quantity, share: 2 },
          { header: words.a4Note, share: 4 },
        ],
        materialRows,
      );
    if (stageLine !== '') {
      writer.heading(words.a4Progress);
      writer.paragraph(stageLine);
    }
    writer.heading(words.a4Scan);
    writer.image(qr, 110, 'left');
    writer.paragraph(words.labelled(words.a4QueryUrl, queryUrl), { size: 9, muted: true });
    if (notes.length > 0) {
      writer.heading(words.a4Tips);
      writer.list(notes);
    }
  });
}

/**
 * The guide as an A4 document. In English the document's own words, the
 * names (service, department, hall, address), the place and the guide's long
 * texts (basis, conditions, materials, steps, agency, fee, notes) are
 * English; a text the content has no English for stays the department's
 * Chinese, and then a note says so.
 */
export async function guidePdf(service: Service, hall: Hall, options: DocumentOptions = {}): Promise<Buffer> {
  const locale = options.locale ?? 'zh-CN';
  const words = printWords(locale);
  const name = (chinese: string, english: string | undefined): string => inLocale(locale, chinese, english);
  const department = hall.departments.find((candidate) => candidate.id === service.departmentId);
  const inLanguage = guideInLocale(service, department, locale, options.stagesEn);
  const guide = { ...service.guide, ...inLanguage, timeLimit: { ...service.guide.timeLimit, note: inLanguage.timeLimitNote } };
  const serviceName = name(service.name, service.nameEn);
  const windows = words.windows(guide.windows);
  const place = department === undefined ? windows : words.place(words.floorDepartment(words.floor(department.floor), name(department.name, department.nameEn)), windows);
  const windowNotes = guide.windowNotes.map(({ window, note }) => words.a4WindowNote(window, note));
  const languageNote = guide.chineseOnly.length > 0 ? words.a4GuideLanguageNote : '';
  const timeLimit = [
    words.labelled(words.a4Statutory, guide.timeLimit.statutoryDays === null ? words.a4None : words.guideWorkingDays(guide.timeLimit.statutoryDays)),
    words.labelled(words.a4Promised, guide.timeLimit.promisedDays === 0 ? words.a4Immediate : words.guideWorkingDays(guide.timeLimit.promisedDays)),
    guide.timeLimit.note ?? '',
  ]
    .filter((part) => part !== '')
    .join(words.a4PartsSeparator);
  const online = [name(service.online, options.onlineModesEn?.[service.online]), guide.onlineUrlHint ?? ''].filter((part) => part !== '').join(words.colon);
  const materialRows = guide.materials.map((material, index) => [String(index + 1), material.name, `${material.copies}`, material.original ? words.a4Original : words.a4Copy, material.required ? words.a4Required : words.a4Optional, material.note ?? '']);
  const stepLines = guide.steps.map((step) => words.labelled(step.stage, step.description));
  const agency = [
    guide.agency,
    name(department?.fullName ?? '', department?.fullNameEn),
    words.a4Address(name(hall.address, hall.addressEn), place),
    words.a4Phones(hall.phone, hall.hotline),
    words.labelled(words.a4Hours, name(hall.openingHours.summary, hall.openingHours.summaryEn)),
  ]
    .filter((line) => line !== '')
    .join('\n');
  const hallFullName = name(hall.fullName, hall.fullNameEn);
  const hallName = name(hall.name, hall.nameEn);
  const audience = words.a4AudienceNames[service.audience] ?? service.audience;
  const texts = [serviceName, hallFullName, hallName, guide.basis, ...guide.conditions, ...materialRows.flat(), ...stepLines, agency, guide.fee, timeLimit, place, ...windowNotes, online, audience, languageNote, hall.disclaimer ?? ''];
  return renderDocument(documentInfo(words.a4GuideTitle(serviceName), hallName, locale), fontFor(options, texts), (writer: DocWriter) => {
    writer.title(serviceName, words.a4GuideSubtitle(hallFullName));
    writer.fields([
      [words.a4Audience, audience],
      [words.a4Place, place],
      [words.a4SelfService, service.selfService ? words.a4SelfServiceYes : words.a4SelfServiceNo],
    ], labelWidthFor(options.locale), words.colon);
    if (languageNote !== '') writer.paragraph(languageNote, { muted: true });
    writer.heading(words.a4Basis);
    writer.paragraph(guide.basis);
    writer.heading(words.a4Conditions);
    if (guide.conditions.length === 0) writer.paragraph(words.a4NoConditions);
    else writer.list(guide.conditions);
    writer.heading(words.a4Materials);
    writer.table(
      [
        { header: words.a4No, share: 1 },
        { header: words.a4MaterialName, share: 5 },
        { header: words.a4CopiesHeader, share: 1.2 },
        { header: words.a4OriginalHeader, share: 2 },
        { header: words.a4RequiredHeader, share: 2 },
        { header: words.a4Note, share: 4 },
      ],
      materialRows,
    );
    writer.heading(words.a4Steps);
    writer.list(stepLines);
    writer.heading(words.a4Agency);
    writer.paragraph(agency);
    writer.heading(words.a4Fee);
    writer.paragraph(guide.fee);
    writer.heading(words.a4TimeLimit);
    writer.paragraph(timeLimit);
    writer.heading(words.a4Windows);
    writer.paragraph(place);
    if (windowNotes.length > 0) writer.list(windowNotes, false);
    writer.heading(words.a4Online);
    writer.paragraph(online === '' ? words.a4NotOnline : online);
    if (hall.disclaimer !== undefined) writer.paragraph(hall.disclaimer, { size: 8, muted: true });
  });
}

/**
 * Placeholder layout for printing a case's result (title + body) until real
 * templates exist. The labels follow the citizen's language; the title and
 * body are the department's words as issued (a note says so in English).
 */
export async function resultPdf(data: ResultData, options: DocumentOptions = {}): Promise<Buffer> {
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const words = printWords(options.locale);
  const applicant = data.applicantName === undefined ? undefined : maskName(cleanLine(data.applicantName));
  const dateLine = data.date === undefined ? '' : dateIn(words, data.date, timeZone);
  const languageNote = CJK.test(`${data.title}${data.body}`) ? words.a4ResultLanguageNote : '';
  const texts = [data.hallName, data.title, data.body, data.number ?? '', applicant ?? '', dateLine];
  return renderDocument(documentInfo(data.title, data.hallName, options.locale), fontFor(options, texts), (writer) => {
    writer.title(data.title, data.hallName);
    const rows: Array<readonly [string, string]> = [];
    if (data.number !== undefined) rows.push([words.a4ResultNumber, data.number]);
    if (applicant !== undefined) rows.push([words.caseApplicant, applicant]);
    if (dateLine !== '') rows.push([words.a4ResultDate, dateLine]);
    if (rows.length > 0) writer.fields(rows, options.locale === 'en' ? 80 : 64, words.colon);
    if (languageNote !== '') writer.paragraph(languageNote, { muted: true });
    writer.paragraph(data.body, { size: 12 });
  });
}

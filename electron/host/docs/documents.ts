import QRCode from 'qrcode';
import { maskIdNumber, maskName } from '../../common/pii.js';
import type { Hall, Service } from '../content/schema.js';
import type { Logger } from '../logging/logger.js';
import { FontPicker } from './fonts.js';
import { renderDocument } from './layout.js';
import type { DocWriter } from './layout.js';
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
  const title = data.title ?? '预受理回执';
  const applicant = maskName(cleanLine(data.applicantName));
  const idNumber = maskIdNumber(cleanLine(data.idNumber));
  const notes = data.notes ?? [];
  const materialRows = data.materials.map((material, index) => [
    String(index + 1),
    material.name,
    [material.copies === undefined ? '' : `${material.copies} 份`, material.pages === undefined ? '' : `${material.pages} 页`].filter((part) => part !== '').join(' / ') || '—',
    material.note ?? '',
  ]);
  const stageLine = data.stages.map((stage) => (stage === data.currentStage ? `【${stage}】` : stage)).join(' → ');
  // Fixed labels are all in the bundled subset; only data decides the font.
  const texts = [data.hallName, title, data.number, data.serviceName, applicant, idNumber, queryUrl, stageLine, data.location ?? '', ...notes, ...materialRows.flat()];
  return renderDocument({ title, hallName: data.hallName }, fontFor(options, texts), (writer) => {
    writer.title(title, data.hallName);
    writer.heading('申请信息');
    writer.fields([
      ['预受理编号', data.number],
      ['办理事项', data.serviceName],
      ['申请人', applicant],
      ['证件号码', idNumber],
      ['受理时间', formatChineseDateTime(data.date, timeZone)],
      ...(data.location === undefined ? [] : [['办理地点', data.location] as const]),
    ]);
    writer.heading('已收材料');
    if (materialRows.length === 0) writer.paragraph('（无）', { muted: true });
    else
      writer.table(
        [
          { header: '序号', share: 1 },
          { header: '材料名称', share: 6 },
          { header: '数量', share: 2 },
          { header: '备注', share: 4 },
        ],
        materialRows,
      );
    if (stageLine !== '') {
      writer.heading('办理进度');
      writer.paragraph(stageLine);
    }
    writer.heading('扫码查询');
    writer.image(qr, 110, 'left');
    writer.paragraph(`查询网址：${queryUrl}`, { size: 9, muted: true });
    if (notes.length > 0) {
      writer.heading('温馨提示');
      writer.list(notes);
    }
  });
}

export async function guidePdf(service: Service, hall: Hall, options: DocumentOptions = {}): Promise<Buffer> {
  const { guide } = service;
  const department = hall.departments.find((candidate) => candidate.id === service.departmentId);
  const windows = `${guide.windows.join('、')}号窗口`;
  const place = department === undefined ? windows : `${department.floor}楼 ${department.name} ${windows}`;
  const windowNotes = guide.windows.flatMap((no) => {
    const note = department?.windowNotes?.[no];
    return note === undefined ? [] : [`${no}号窗口：${note}`];
  });
  const timeLimit = [
    guide.timeLimit.statutoryDays === null ? '法定时限：无' : `法定时限：${guide.timeLimit.statutoryDays}个工作日`,
    guide.timeLimit.promisedDays === 0 ? '承诺时限：即办' : `承诺时限：${guide.timeLimit.promisedDays}个工作日`,
    guide.timeLimit.note ?? '',
  ]
    .filter((part) => part !== '')
    .join('；');
  const online = [service.online, guide.onlineUrlHint ?? ''].filter((part) => part !== '').join('：');
  const materialRows = guide.materials.map((material, index) => [String(index + 1), material.name, `${material.copies}`, material.original ? '原件' : '复印件', material.required ? '必需' : '容缺/视情况', material.note ?? '']);
  const stepLines = guide.steps.map((step) => `${step.stage}：${step.description}`);
  const agency = [guide.agency, department?.fullName ?? '', `地址：${hall.address}（${place}）`, `咨询电话：${hall.phone}；服务热线：${hall.hotline}`, `办公时间：${hall.openingHours.summary}`].filter((line) => line !== '').join('\n');
  const texts = [service.name, hall.fullName, hall.name, guide.basis, ...guide.conditions, ...materialRows.flat(), ...stepLines, agency, guide.fee, timeLimit, place, ...windowNotes, online, service.audience, hall.disclaimer ?? ''];
  return renderDocument({ title: `${service.name} 办事指南`, hallName: hall.name }, fontFor(options, texts), (writer: DocWriter) => {
    writer.title(service.name, `办事指南 · ${hall.fullName}`);
    writer.fields([
      ['服务对象', service.audience],
      ['办理地点', place],
      ['自助办理', service.selfService ? '可在自助服务区办理' : '请到窗口办理'],
    ]);
    writer.heading('一、办理依据');
    writer.paragraph(guide.basis);
    writer.heading('二、办理条件');
    if (guide.conditions.length === 0) writer.paragraph('无特殊条件。');
    else writer.list(guide.conditions);
    writer.heading('三、办理材料');
    writer.table(
      [
        { header: '序号', share: 1 },
        { header: '材料名称', share: 5 },
        { header: '份数', share: 1.2 },
        { header: '原件/复印件', share: 2 },
        { header: '是否必需', share: 2 },
        { header: '备注', share: 4 },
      ],
      materialRows,
    );
    writer.heading('四、办理流程');
    writer.list(stepLines);
    writer.heading('五、办理机构');
    writer.paragraph(agency);
    writer.heading('六、收费标准');
    writer.paragraph(guide.fee);
    writer.heading('七、办理时限');
    writer.paragraph(timeLimit);
    writer.heading('八、办理窗口');
    writer.paragraph(place);
    if (windowNotes.length > 0) writer.list(windowNotes, false);
    writer.heading('九、网上办理');
    writer.paragraph(online === '' ? '暂不支持网上办理' : online);
    if (hall.disclaimer !== undefined) writer.paragraph(hall.disclaimer, { size: 8, muted: true });
  });
}

/** Placeholder layout for printing a case's result (title + body) until real templates exist. */
export async function resultPdf(data: ResultData, options: DocumentOptions = {}): Promise<Buffer> {
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const applicant = data.applicantName === undefined ? undefined : maskName(cleanLine(data.applicantName));
  const dateLine = data.date === undefined ? '' : formatChineseDate(data.date, timeZone);
  const texts = [data.hallName, data.title, data.body, data.number ?? '', applicant ?? '', dateLine];
  return renderDocument({ title: data.title, hallName: data.hallName }, fontFor(options, texts), (writer) => {
    writer.title(data.title, data.hallName);
    const rows: Array<readonly [string, string]> = [];
    if (data.number !== undefined) rows.push(['编号', data.number]);
    if (applicant !== undefined) rows.push(['申请人', applicant]);
    if (dateLine !== '') rows.push(['日期', dateLine]);
    if (rows.length > 0) writer.fields(rows, 64);
    writer.paragraph(data.body, { size: 12 });
  });
}

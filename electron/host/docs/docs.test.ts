import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Hall, Services } from '../content/schema.js';
import { FontPicker, SYSTEM_FONT, findBundledFont, guidePdf, receiptPdf, resultPdf } from './index.js';
import type { ReceiptData } from './index.js';
import { cleanLine, cleanText, formatChineseDateTime } from './text.js';

// PDFs are checked the way a reader sees them: text extracted by poppler's pdftotext.
const work = mkdtempSync(join(tmpdir(), 'liuliu-docs-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let fileNo = 0;
function poppler(tool: 'pdftotext' | 'pdfinfo' | 'pdfimages', pdf: Buffer, args: string[] = []): string {
  fileNo += 1;
  const file = join(work, `doc${fileNo}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync(tool, tool === 'pdftotext' ? [...args, file, '-'] : [...args, file], { encoding: 'utf8' });
}
const textOf = (pdf: Buffer): string => poppler('pdftotext', pdf);
const pagesOf = (pdf: Buffer): number => Number(/Pages:\s+(\d+)/.exec(poppler('pdfinfo', pdf))?.[1]);

const root = join(import.meta.dirname, '..', '..', '..');
const hall = Hall.parse(JSON.parse(readFileSync(join(root, 'content', 'hall', 'hall.json'), 'utf8')));
const services = Services.parse(JSON.parse(readFileSync(join(root, 'content', 'hall', 'services.json'), 'utf8')));
const firstService = services.services[0];
if (!firstService) throw new Error('content has no services');

const receipt: ReceiptData = {
  hallName: hall.fullName,
  number: 'YS20261124-0007',
  serviceName: firstService.name,
  applicantName: '张三丰',
  idNumber: '430181198001011239',
  materials: [
    { name: '《出生医学证明》', copies: 1, pages: 2, note: '原件已核验' },
    { name: '父母双方居民身份证', pages: 2 },
  ],
  date: new Date('2026-11-24T06:05:00Z'),
  stages: services.stages,
  currentStage: '受理',
  queryUrl: 'https://example.gov.cn/query?no=YS20261124-0007',
  notes: ['请妥善保管本回执。', '审核结果将以短信通知。'],
  location: '一楼综合受理区 3—8号窗口',
};

describe('receiptPdf', () => {
  it('prints number, masked applicant, service, materials, date, stages, QR and notes', async () => {
    const pdf = await receiptPdf(receipt);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = textOf(pdf);
    for (const expected of ['预受理回执', hall.fullName, 'YS20261124-0007', '张*丰', '430181********1239', '《出生医学证明》', '父母双方居民身份证', '2026年11月24日 14:05', '【受理】', 'https://example.gov.cn/query?no=YS20261124-0007', '请妥善保管本回执。']) {
      expect(text).toContain(expected);
    }
    expect(text.replace(/\s+/g, '')).toContain('第1页/共1页');
    expect(text).toContain(firstService.name);
    // Never the full name or ID number.
    expect(text).not.toContain('张三丰');
    expect(text).not.toContain('430181198001011239');
    // The QR code is an embedded image.
    expect(poppler('pdfimages', pdf, ['-list']).split('\n').filter((line) => /^\s*1\s+\d+\s+image\s/.test(line))).toHaveLength(1);
  });

  it('refuses a query URL too long for a QR code', async () => {
    await expect(receiptPdf({ ...receipt, queryUrl: `https://x/${'a'.repeat(5000)}` })).rejects.toThrow(/query URL/);
  });

  it('switches to the system CJK font for a character outside the bundled subset', async () => {
    const rare = { ...receipt, applicantName: '王小堃' }; // 堃 is not in GB2312
    const text = textOf(await receiptPdf(rare));
    if (existsSync(SYSTEM_FONT.path)) expect(text).toContain('王*堃');
    const withoutFallback = new FontPicker(findBundledFont(), null).choose(['王*堃']);
    expect(withoutFallback.missing).toEqual(['堃']);
  });
});

describe('guidePdf', () => {
  it('prints the six core elements plus time limit, windows and online availability', async () => {
    const pdf = await guidePdf(firstService, hall);
    const text = textOf(pdf).replace(/\s+/g, '');
    for (const heading of ['一、办理依据', '二、办理条件', '三、办理材料', '四、办理流程', '五、办理机构', '六、收费标准', '七、办理时限', '八、办理窗口', '九、网上办理']) {
      expect(text).toContain(heading);
    }
    expect(text).toContain('办事指南');
    expect(text).toContain(firstService.guide.fee.replace(/\s+/g, ''));
    const promised = firstService.guide.timeLimit.promisedDays;
    expect(text).toContain(promised === 0 ? '承诺时限：即办' : `承诺时限：${promised}个工作日`);
    expect(text).toContain(`${firstService.guide.windows.join('、')}号窗口`);
    for (const material of firstService.guide.materials) expect(text).toContain(material.name.replace(/\s+/g, ''));
    for (const step of firstService.guide.steps) expect(text).toContain(step.stage);
  });

  it('renders every service of the shipped content', async () => {
    for (const service of services.services) {
      const text = textOf(await guidePdf(service, hall)).replace(/\s+/g, '');
      expect(text).toContain('六、收费标准');
    }
  }, 120_000);
});

describe('resultPdf', () => {
  it('wraps and paginates a 5,000-character address and strips control characters', async () => {
    const address = `${'湖南省示范市市民大道88号'.repeat(300)}${'B'.repeat(1400)}末尾标记`;
    expect(address.length).toBeGreaterThanOrEqual(5000);
    const pdf = await resultPdf({ hallName: hall.name, title: '办理结果通知书', number: 'BJ-0001', applicantName: '欧阳娜娜', date: new Date('2026-11-24T02:00:00Z'), body: `送达地址：\u0007${address}\u202e\u0000\n\n特此通知。` });
    expect(pagesOf(pdf)).toBeGreaterThan(1);
    const text = textOf(pdf);
    expect(text).toContain('办理结果通知书');
    expect(text).toContain('欧**娜');
    expect(text).toContain('末尾标记');
    expect(text).toContain('特此通知。');
    expect(text.replace(/\s+/g, '')).toMatch(/第2页\/共\d+页/);
    expect(text).not.toMatch(/[\u0000-\u0008\u202e]/);
    // Nothing lost: without the page footers, the wrapped text still holds every repetition.
    const body = text
      .split('\n')
      .filter((line) => !/第\s*\d+\s*页/.test(line) && line.trim() !== hall.name)
      .join('')
      .replace(/\s+/g, '');
    expect(body.split('市民大道88号').length - 1).toBe(300);
  });

  it('prints its labels, date and page foot in English for a citizen who chose English (the masked name stays hers)', async () => {
    const pdf = await resultPdf(
      { hallName: hall.fullNameEn ?? 'Demo City Government Service Center', title: 'Result notice', number: 'BJ-0001', applicantName: '欧阳娜娜', date: new Date('2026-11-24T02:00:00Z'), body: 'Approved. Collect your certificate at window 3.' },
      { locale: 'en' },
    );
    const text = textOf(pdf).replace(/\s+/g, ' ');
    for (const label of ['Number: BJ-0001', 'Applicant: 欧**娜', 'Date: 2026-11-24', 'page 1 of 1', 'Approved. Collect your certificate at window 3.']) expect(text).toContain(label);
    expect(text).not.toContain('The result below is given in Chinese');
    // No Chinese label (编号, 申请人, 日期, 第 1 页): the only Chinese is the citizen's own masked name.
    expect(text.replace('欧**娜', '')).not.toMatch(/[\u3000-\u9fff\uff00-\uffef]/);
  });

  it('says in English that a result issued in Chinese is given in Chinese', async () => {
    const text = textOf(await resultPdf({ hallName: 'Demo City Government Service Center', title: '就业创业证办理结果', body: '准予办理。' }, { locale: 'en' }));
    expect(text).toContain('The result below is given in Chinese');
    expect(text).toContain('准予办理。');
    expect(textOf(await resultPdf({ hallName: hall.name, title: '办理结果', body: '准予办理。' }))).not.toContain('given in Chinese');
  });
});

describe('bundled font', () => {
  it('covers every character of the shipped content and of the fixed labels, without the system font', () => {
    const sources = ['content/hall/hall.json', 'content/hall/services.json', 'content/hall/intents.json', 'electron/common/printed-words.ts', 'electron/host/docs/documents.ts', 'electron/host/docs/layout.ts'];
    const texts = sources.map((file) => readFileSync(join(root, file), 'utf8').replace(/[\r\t]/g, ' '));
    expect(new FontPicker(findBundledFont(), null).choose(texts).missing).toEqual([]);
  });
});

describe('text hygiene', () => {
  it('removes controls, bidi overrides and lone surrogates but keeps line breaks and real characters', () => {
    expect(cleanText('a\u0000b\u0007c\r\nd\u202ee\u200bf\ud800g\t h 𠀀 ')).toBe('abc\ndefg   h 𠀀');
    expect(cleanLine('第一行\n第二行')).toBe('第一行 第二行');
  });

  it('formats dates in the hall’s time zone', () => {
    expect(formatChineseDateTime(new Date('2026-11-24T16:30:00Z'), 'Asia/Shanghai')).toBe('2026年11月25日 00:30');
  });
});

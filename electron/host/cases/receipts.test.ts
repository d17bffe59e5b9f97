import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PAPER_WIDTH_CHARS, decodeEscPos, displayWidth, encodeEscPos, layoutDoc, renderJobText } from '../../../devices/printer/index.js';
import { loadContent } from '../content/loader.js';
import { FontPicker, receiptPdf } from '../docs/index.js';
import { appRoot } from '../paths.js';
import { a4Receipt, queryUrl, slipDoc, type ReceiptFacts } from './receipts.js';

const content = loadContent(join(appRoot(), 'content', 'hall'));
const found = content.services.services.find((s) => s.id === 'hr-employment-cert');
if (!found) throw new Error('demo content lacks hr-employment-cert');
const service = found;

function facts(address: string): ReceiptFacts {
  const number = 'YS2026112500010007';
  return {
    hallName: content.hall.fullName,
    service,
    departmentName: '人社',
    stored: { id: 'c1', number, serviceId: service.id, stage: '申请', submittedAt: '2026-11-25T02:00:00.000Z', updatedAt: '2026-11-25T02:00:00.000Z', hasResult: false },
    applicant: { name: '张三丰', idNumber: '430181198001011239', address, phone: '13800000000', mailingAddress: address, remarks: '' },
    pageCounts: new Map([[0, 2]]),
    stages: content.services.stages,
    queryUrl: queryUrl('https://zwfw.example.gov.cn/ys/query', number),
  };
}

describe('case receipts', () => {
  it('put the number in the QR URL', () => {
    expect(queryUrl('https://x.example/q', 'YS2026112500010007')).toBe('https://x.example/q?no=YS2026112500010007');
    expect(queryUrl('https://x.example/q?hall=1', 'YS1')).toBe('https://x.example/q?hall=1&no=YS1');
  });

  it('print a 5,000-character address masked to province and city, on the slip and the A4 PDF', { timeout: 60_000 }, async () => {
    const address = `湖南省长沙市${'岳麓区麓山南路'.repeat(714)}1号`;
    expect(address.length).toBeGreaterThanOrEqual(5000);
    const slip = slipDoc(facts(address), new Date('2026-11-25T02:00:00Z'));
    const lines = layoutDoc(slip, { paperWidthChars: 48 });
    const text = JSON.stringify(lines);
    expect(text).toContain('YS2026112500010007');
    expect(text).toContain('湖南省长沙市****');
    expect(text).toContain('张*丰');
    expect(text).not.toContain('张三丰');
    expect(text).not.toContain('岳麓区');
    expect(lines.length).toBeLessThan(80);

    const pdf = await receiptPdf(a4Receipt(facts(address)), { fonts: new FontPicker() });
    const dir = mkdtempSync(join(tmpdir(), 'liuliu-receipt-'));
    try {
      writeFileSync(join(dir, 'r.pdf'), pdf);
      const pdfText = execFileSync('pdftotext', [join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
      expect(pdfText).toContain('YS2026112500010007');
      expect(pdfText).toContain('张*丰');
      expect(pdfText).toContain('湖南省长沙市****');
      expect(pdfText).not.toContain('岳麓区');
      expect(execFileSync('pdfinfo', [join(dir, 'r.pdf')], { encoding: 'utf8' })).toMatch(/Pages:\s+1\b/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('print the slip and the A4 receipt in English for a citizen who chose English, the slip within 58 mm paper', { timeout: 60_000 }, async () => {
    const english: ReceiptFacts = {
      ...facts('湖南省长沙市岳麓区麓山南路1号'),
      hallName: 'Demo City Government Service Center',
      serviceName: 'Employment certificate',
      departmentName: 'Human Resources and Social Security Bureau',
      stages: ['Application', 'Accepted', 'Review', 'Decision', 'Completed'],
      stageName: 'Application',
      location: 'Floor 3, Human Resources and Social Security Bureau, windows 31, 32',
      locale: 'en',
    };
    const decoded = decodeEscPos(encodeEscPos(slipDoc(english, new Date('2026-11-25T02:00:00Z')), { paperWidthChars: PAPER_WIDTH_CHARS['58mm'] }));
    expect(decoded.issues).toEqual([]);
    for (const item of decoded.items) if (item.kind === 'text') expect(displayWidth(item.text) * item.size.width).toBeLessThanOrEqual(32);
    const slip = renderJobText(decoded.items);
    const joined = slip.split('\n').map((line) => line.replace(/^\[[^\]]*\] /, '')).join(' ');
    expect(joined).toContain('Self-service pre-application receipt');
    expect(joined).toContain('Number: YS2026112500010007');
    expect(joined).toContain('Applicant: 张*丰');
    expect(joined).toContain('Materials: 1 item, 2 pages');
    expect(joined).toContain('Stage: Application');
    expect(joined).toContain('Printed: 2026-11-25 10:00');
    expect(joined).toContain('it is not yet accepted');
    // Chinese only where the citizen's own (masked) data is.
    expect(slip.replace(/张\*丰|湖南省长沙市/g, '')).not.toMatch(/[\u3000-\u9fff\uff00-\uffef]/);

    const pdf = await receiptPdf(a4Receipt(english), { fonts: new FontPicker(), locale: 'en' });
    const dir = mkdtempSync(join(tmpdir(), 'liuliu-receipt-'));
    try {
      writeFileSync(join(dir, 'r.pdf'), pdf);
      const pdfText = execFileSync('pdftotext', [join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
      expect(pdfText).toContain('Pre-acceptance number');
      expect(pdfText).toContain('Materials received');
      expect(pdfText).toContain('[Application] → Accepted');
      expect(pdfText).not.toContain('申请信息');
      // The page foot too: "page 1 of 2", not 第 1 页 / 共 2 页.
      expect(pdfText).toMatch(/page 1 of \d/);
      expect(pdfText).not.toMatch(/第\s*1\s*页/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

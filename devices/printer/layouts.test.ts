import { describe, expect, it } from 'vitest';
import { displayWidth, layoutDoc } from './doc.js';
import { encodeEscPos } from './escpos.js';
import { formatBeijingTime, queueTicketDoc, receiptDoc } from './layouts.js';
import { decodeEscPos } from './sim/decoder.js';
import { renderJobText } from './sim/render.js';

const TICKET = {
  hallName: '某某市政务服务中心',
  number: 'A023',
  categoryName: '社保医保',
  floor: 3,
  windows: [5, 6],
  peopleAhead: 4,
  etaMinutes: 12,
  qrUrl: 'https://example.com/t/A023',
  maskedName: '张*丰',
  priority: true,
  issuedAt: new Date('2026-11-24T01:05:00Z'),
};

describe('queueTicketDoc', () => {
  it('prints the number double size, the windows, the wait, the QR and a cut', () => {
    const text = renderJobText(decodeEscPos(encodeEscPos(queueTicketDoc(TICKET), { paperWidthChars: 48 })).items);
    expect(text).toContain('[C 2x2 B] A023');
    expect(text).toContain('办理地点：3楼 5、6号窗口');
    expect(text).toContain('[L] 前面等候：4 人');
    expect(text).toContain('[L] 预计等候：约 12 分钟');
    expect(text).toContain('姓名：张*丰');
    expect(text).toContain('【优先办理】');
    expect(text).toContain('取号时间：2026-11-24 09:05');
    expect(text).toContain('[C] [QR: https://example.com/t/A023]');
    expect(text.trimEnd().endsWith('--- cut ---')).toBe(true);
  });

  it('leaves out name and priority when not given', () => {
    const text = renderJobText(layoutDoc(queueTicketDoc({ ...TICKET, maskedName: undefined, priority: undefined }), { paperWidthChars: 32 }));
    expect(text).not.toContain('姓名');
    expect(text).not.toContain('优先');
  });

  it('formats time in UTC+8', () => {
    expect(formatBeijingTime(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01 00:30');
  });
});

describe('receiptDoc', () => {
  it('wraps a 5,000-character address with control characters into a clean stream', () => {
    const address = `${'长沙市岳麓区\x1b@\x1dV\x01麓谷大道'.repeat(400)}`.slice(0, 5000);
    const doc = receiptDoc('预申请回执', ['请携带身份证原件到窗口办理。', { label: '地址', value: address }, { rule: true }], { data: 'https://example.com/r/123', caption: '扫码查看' });
    const bytes = encodeEscPos(doc, { paperWidthChars: 32 });
    const decoded = decodeEscPos(bytes);
    expect(decoded.issues).toEqual([]);
    const texts = decoded.items.flatMap((item) => (item.kind === 'text' ? [item] : []));
    for (const line of texts) expect(displayWidth(line.text) * line.size.width).toBeLessThanOrEqual(32);
    const body = texts.map((line) => line.text).join('');
    expect(body).toContain('地址：长沙市岳麓区@V麓谷大道');
    expect(body).not.toMatch(/[\x00-\x1f]/);
    expect(decoded.items.at(-1)).toEqual({ kind: 'cut', partial: true, feedLines: 4 });
    expect(decoded.items.some((item) => item.kind === 'qr' && item.data === 'https://example.com/r/123')).toBe(true);
  });
});

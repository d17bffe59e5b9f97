import { describe, expect, it } from 'vitest';
import { Redactor } from './redact.js';

describe('Redactor', () => {
  it('masks ID numbers and known names anywhere in a record', () => {
    const redactor = new Redactor();
    redactor.rememberName('张三丰');
    const out = redactor.value({
      msg: '张三丰 logged in with 430181198001011239',
      nested: { list: ['x 430181198001011239 y'], citizenName: '李四' },
      photo: Buffer.alloc(10),
    }) as Record<string, unknown>;
    const text = JSON.stringify(out);
    expect(text).not.toContain('430181198001011239');
    expect(text).not.toContain('张三丰');
    expect(text).not.toContain('李四');
    expect(text).toContain('430181********1239');
    expect(text).toContain('张*丰');
    expect(out['photo']).toBe('[dropped]');
  });

  it('masks error messages and stops remembering a forgotten name', () => {
    const redactor = new Redactor();
    redactor.rememberName('王五六');
    const err = redactor.value(new Error('bad card for 王五六')) as { message: string };
    expect(err.message).toBe('bad card for 王*六');
    redactor.forgetName('王五六');
    expect(redactor.text('王五六')).toBe('王五六');
  });
});

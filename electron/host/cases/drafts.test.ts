import { describe, expect, it } from 'vitest';
import { DraftBook, MAX_PAGES_PER_MATERIAL } from './drafts.js';

const page = (materialIndex: number, fill: number) => ({ materialIndex, jpeg: Buffer.alloc(16, fill), preview: Buffer.alloc(8, fill), width: 10, height: 14 });

describe('DraftBook', () => {
  it('keeps one draft per session and zeroes images that are replaced, deleted or discarded', () => {
    const book = new DraftBook();
    const draft = book.start('s1', 'svc');
    const first = page(0, 7);
    const replaced = page(0, 8);
    const a = book.putPage(draft, first);
    const b = book.putPage(draft, replaced);
    const rescan = book.putPage(draft, page(0, 9), a.id);
    expect(draft.pages.map((p) => p.id)).toEqual([rescan.id, b.id]);
    expect(a.jpeg.every((byte) => byte === 0)).toBe(true);
    expect(book.deletePage(draft, b.id)).toBe(true);
    expect(b.jpeg.every((byte) => byte === 0) && b.preview.every((byte) => byte === 0)).toBe(true);
    expect(book.deletePage(draft, b.id)).toBe(false);

    // A new draft for the same session replaces the old one; session end drops it.
    const next = book.start('s1', 'other');
    expect(rescan.jpeg.every((byte) => byte === 0)).toBe(true);
    expect(book.get('s1')).toBe(next);
    book.putPage(next, page(1, 5));
    book.start('s2', 'svc');
    book.discard('s1');
    expect(book.get('s1')).toBeUndefined();
    expect(book.size).toBe(1);
    book.discardAll();
    expect(book.size).toBe(0);
  });

  it('limits pages per material but always allows a rescan', () => {
    const book = new DraftBook();
    const draft = book.start('s1', 'svc');
    for (let i = 0; i < MAX_PAGES_PER_MATERIAL; i += 1) book.putPage(draft, page(0, 1));
    expect(book.pageLimit(draft, 0, false)).toEqual({ code: 'cases.tooManyPagesPerMaterial', params: { max: MAX_PAGES_PER_MATERIAL } });
    expect(book.pageLimit(draft, 0, true)).toBeNull();
    expect(book.pageLimit(draft, 1, false)).toBeNull();
  });
});

import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ImageError, normalise } from './normalise.js';

async function photo(width: number, height: number, orientation?: number): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 40 } } }).jpeg();
  return (orientation === undefined ? image : image.withMetadata({ orientation })).toBuffer();
}

/** A valid-looking PNG whose header claims width × height; the pixel data is a token few bytes. */
function pngClaiming(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer): number => {
    let c = 0xffffffff;
    for (const byte of bytes) c = (crcTable[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer): Buffer => {
    const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    typed.copy(out, 4);
    out.writeUInt32BE(crc(typed), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.alloc(64))), chunk('IEND', Buffer.alloc(0))]);
}

async function imageError(promise: Promise<unknown>): Promise<ImageError> {
  const error = await promise.then(
    () => new Error('unexpectedly succeeded'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ImageError);
  return error as ImageError;
}

describe('normalise', () => {
  it('caps the longest side, keeps the aspect ratio and makes a 600 px preview', async () => {
    const page = await normalise(await photo(3000, 4000));
    expect([page.width, page.height]).toEqual([1860, 2480]);
    const preview = await sharp(page.preview).metadata();
    expect([preview.width, preview.height, preview.format]).toEqual([450, 600, 'jpeg']);
    expect((await sharp(page.jpeg).metadata()).format).toBe('jpeg');
  });

  it('never enlarges a small page, and honours configured limits', async () => {
    const small = await normalise(await photo(300, 200));
    expect([small.width, small.height]).toEqual([300, 200]);
    const custom = await normalise(await photo(1000, 500), { maxSide: 400, previewSide: 100 });
    expect([custom.width, custom.height]).toEqual([400, 200]);
    expect((await sharp(custom.preview).metadata()).width).toBe(100);
  });

  it('turns a page upright from its EXIF orientation', async () => {
    const page = await normalise(await photo(400, 300, 6)); // 6 = rotate 90° clockwise to display
    expect([page.width, page.height]).toEqual([300, 400]);
  });

  it('refuses a 200 MB input by size before decoding anything', async () => {
    const huge = Buffer.allocUnsafe(200 * 1024 * 1024); // not touched, so it costs no real memory
    huge.write('\x89PNG\r\n\x1a\n', 0, 'latin1');
    const error = await imageError(normalise(huge));
    expect(error.code).toBe('too-large');
    expect(error.userMessage).toBe('图片过大，无法处理，请重新扫描或联系工作人员');
  });

  it('refuses an image whose header claims too many pixels, from the header alone', async () => {
    const bomb = pngClaiming(100_000, 100_000);
    expect(bomb.length).toBeLessThan(200);
    const error = await imageError(normalise(bomb));
    expect(error.code).toBe('too-large');
    expect(error.message).toContain('100000×100000');
  });

  it('reports garbage and truncated images as unreadable', async () => {
    expect((await imageError(normalise(Buffer.from('not an image at all')))).code).toBe('unreadable');
    expect((await imageError(normalise(pngClaiming(200, 200)))).code).toBe('unreadable');
    const jpeg = await photo(800, 600);
    expect((await imageError(normalise(jpeg.subarray(0, jpeg.length / 3)))).code).toBe('unreadable');
  });
});

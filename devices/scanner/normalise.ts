import sharp from 'sharp';
import type { Metadata } from 'sharp';

/**
 * Turns a scanned (or uploaded) page into what the kiosk stores and shows:
 * an upright JPEG capped at A4-300-dpi size, and a small preview for the UI.
 * Absurd inputs (too many bytes, too many pixels, not an image) are refused
 * with an {@link ImageError} before libvips allocates pixel memory.
 */
export interface NormaliseOptions {
  /** Longest side of the stored JPEG in px. Default 2480 (A4 width at 300 dpi … height would be 3508; 2480 keeps files ≈ 0.5–1 MB). */
  maxSide?: number;
  /** JPEG quality of the stored page. Default 80. */
  quality?: number;
  /** Longest side of the preview in px. Default 600. */
  previewSide?: number;
  /** Preview JPEG quality. Default 70. */
  previewQuality?: number;
  /** Largest input accepted, in bytes. Default 64 MiB. */
  maxInputBytes?: number;
  /** Largest input accepted, in pixels (width × height). Default 80 M (A4 at 600 dpi is 35 M). */
  maxInputPixels?: number;
}

export interface NormalisedPage {
  jpeg: Buffer;
  preview: Buffer;
  /** Size of `jpeg` in px. */
  width: number;
  height: number;
}

export type ImageErrorCode = 'too-large' | 'unreadable';

export const IMAGE_ERROR_MESSAGES: Readonly<Record<ImageErrorCode, string>> = {
  'too-large': '图片过大，无法处理，请重新扫描或联系工作人员',
  unreadable: '图片无法识别，请重新扫描或联系工作人员',
};

export class ImageError extends Error {
  readonly code: ImageErrorCode;
  readonly userMessage: string;

  constructor(code: ImageErrorCode, detail: string) {
    super(`${code}: ${detail}`);
    this.name = 'ImageError';
    this.code = code;
    this.userMessage = IMAGE_ERROR_MESSAGES[code];
  }
}

const DEFAULTS = {
  maxSide: 2480,
  quality: 80,
  previewSide: 600,
  previewQuality: 70,
  maxInputBytes: 64 * 1024 * 1024,
  maxInputPixels: 80_000_000,
} as const;

/** Takes the image bytes, or a scanned page ({ data }) as `SaneScanner.scan` returns it. */
export async function normalise(page: Uint8Array | { data: Uint8Array }, options: NormaliseOptions = {}): Promise<NormalisedPage> {
  const input = page instanceof Uint8Array ? page : page.data;
  const settings = { ...DEFAULTS, ...options };
  if (input.length > settings.maxInputBytes) {
    throw new ImageError('too-large', `${input.length} bytes exceeds the ${settings.maxInputBytes}-byte limit`);
  }
  // The header alone tells the pixel count; check it before any decoding.
  let metadata: Metadata;
  try {
    metadata = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new ImageError('unreadable', error instanceof Error ? error.message : String(error));
  }
  const { width, height } = metadata;
  if (width === undefined || height === undefined || width < 1 || height < 1) throw new ImageError('unreadable', `no image dimensions (${String(metadata.format)})`);
  if (width * height > settings.maxInputPixels) {
    throw new ImageError('too-large', `${width}×${height} px exceeds the ${settings.maxInputPixels}-pixel limit`);
  }
  try {
    const upright = sharp(input, { limitInputPixels: settings.maxInputPixels, failOn: 'error', autoOrient: true });
    const capped = upright.resize({ width: settings.maxSide, height: settings.maxSide, fit: 'inside', withoutEnlargement: true });
    const [page, preview] = await Promise.all([
      capped.clone().jpeg({ quality: settings.quality, mozjpeg: false }).toBuffer({ resolveWithObject: true }),
      capped
        .clone()
        .resize({ width: settings.previewSide, height: settings.previewSide, fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: settings.previewQuality })
        .toBuffer(),
    ]);
    return { jpeg: page.data, preview, width: page.info.width, height: page.info.height };
  } catch (error) {
    throw new ImageError('unreadable', error instanceof Error ? error.message : String(error));
  }
}

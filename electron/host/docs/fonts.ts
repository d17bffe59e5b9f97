import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The CJK font every document is set in. The repository ships a subset of
 * Noto Sans CJK SC (content/fonts, SIL OFL 1.1) covering GB2312, common
 * symbols and every character of the hall content, so Chinese prints on a
 * machine without any CJK font. A text needing a character outside the
 * subset (a rare name character) switches the whole document to the full
 * system Noto Sans CJK SC when that is installed; otherwise the character
 * prints as a box and the caller is told which characters were missing.
 */
export const BUNDLED_FONT_FILE = 'NotoSansCJKsc-Regular-subset.otf';
export const SYSTEM_FONT = { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', postscriptName: 'NotoSansCJKsc-Regular' } as const;

export interface FontSource {
  /** Path or bytes of an OTF/TTF, or of a TTC together with postscriptName. */
  src: string | Buffer;
  postscriptName?: string;
}

export interface ChosenFont extends FontSource {
  /** Characters none of the available fonts has (they print as a box). */
  missing: string[];
}

interface CoverageFont {
  hasGlyphForCodePoint(codePoint: number): boolean;
}

// fontkit is pdfkit's own font engine; load pdfkit's copy so both agree.
const requireFromPdfkit = createRequire(createRequire(import.meta.url).resolve('pdfkit'));
const fontkit = requireFromPdfkit('fontkit') as { create(buffer: Buffer, postscriptName?: string): CoverageFont };

/** Walks up from this module to the repository (or packaged app) root holding content/fonts. */
export function findBundledFont(startDir: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = startDir;
  for (;;) {
    const candidate = join(dir, 'content', 'fonts', BUNDLED_FONT_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`bundled font content/fonts/${BUNDLED_FONT_FILE} not found above ${startDir}`);
    dir = parent;
  }
}

interface LoadedFont {
  source: FontSource;
  coverage: CoverageFont;
}

/**
 * Picks the font for one document from the texts it will contain. Fonts are
 * read once and cached; pdfkit re-parses the bytes per document, which is
 * cheap for the subset.
 */
export class FontPicker {
  private bundled: LoadedFont | undefined;
  private fallback: LoadedFont | null | undefined;

  constructor(
    private readonly bundledPath: string = findBundledFont(),
    private readonly fallbackFont: { path: string; postscriptName?: string } | null = SYSTEM_FONT,
  ) {}

  choose(texts: readonly string[]): ChosenFont {
    const bundled = this.loadBundled();
    const needed = uniqueCodePoints(texts).filter((codePoint) => !isLayoutOnly(codePoint));
    const missing = needed.filter((codePoint) => !bundled.coverage.hasGlyphForCodePoint(codePoint));
    if (missing.length === 0) return { ...bundled.source, missing: [] };
    const fallback = this.loadFallback();
    if (fallback === null) return { ...bundled.source, missing: missing.map((c) => String.fromCodePoint(c)) };
    const stillMissing = missing.filter((codePoint) => !fallback.coverage.hasGlyphForCodePoint(codePoint));
    return { ...fallback.source, missing: stillMissing.map((c) => String.fromCodePoint(c)) };
  }

  private loadBundled(): LoadedFont {
    if (!this.bundled) {
      const bytes = readFileSync(this.bundledPath);
      this.bundled = { source: { src: bytes }, coverage: fontkit.create(bytes) };
    }
    return this.bundled;
  }

  private loadFallback(): LoadedFont | null {
    if (this.fallback === undefined) {
      const font = this.fallbackFont;
      if (font === null || !existsSync(font.path)) this.fallback = null;
      else {
        const bytes = readFileSync(font.path);
        this.fallback = {
          source: { src: bytes, ...(font.postscriptName === undefined ? {} : { postscriptName: font.postscriptName }) },
          coverage: fontkit.create(bytes, font.postscriptName),
        };
      }
    }
    return this.fallback;
  }
}

function uniqueCodePoints(texts: readonly string[]): number[] {
  const seen = new Set<number>();
  for (const text of texts) for (const char of text) seen.add(char.codePointAt(0) ?? 0);
  return [...seen];
}

/** Line breaks are layout, not glyphs. */
function isLayoutOnly(codePoint: number): boolean {
  return codePoint === 0x0a;
}

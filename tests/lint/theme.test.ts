import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Elderly mode is a real theme: every colour of the kiosk UI is a variable
 * set in renderer/src/styles/theme.css, for the normal and the elderly look.
 * Screen and component CSS name variables only — a literal colour there would
 * stay the same in both themes (the ticket number was once black on black).
 */
const root = join(import.meta.dirname, '..', '..');
const rendererSrc = join(root, 'renderer', 'src');
const THEME = join(rendererSrc, 'styles', 'theme.css');
const LITERAL_COLOUR = /#[0-9a-f]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(|(?<![-\w])(?:white|black|red|green|blue|yellow|orange|gray|grey|silver|navy)(?![-\w])/gi;

function cssFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return cssFiles(path);
    return entry.name.endsWith('.css') ? [path] : [];
  });
}

function withoutComments(css: string): string {
  return css.replace(/\/\*[\s\S]*?\*\//g, '');
}

/** The custom properties a block sets: `--name: value;`. */
function definedIn(block: string): Set<string> {
  return new Set(Array.from(block.matchAll(/(--[\w-]+)\s*:/g), (match) => match[1] ?? ''));
}

function blockOf(css: string, selector: string): string {
  const start = css.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`${selector} not found in theme.css`);
  return css.slice(start, css.indexOf('}', start));
}

describe('renderer theme', () => {
  const theme = withoutComments(readFileSync(THEME, 'utf8'));
  const normal = definedIn(blockOf(theme, ':root'));
  const elderly = definedIn(blockOf(theme, 'html.elderly'));

  it('screen and component CSS name colours only through theme variables', () => {
    const literals = cssFiles(rendererSrc)
      .filter((file) => file !== THEME)
      .flatMap((file) =>
        withoutComments(readFileSync(file, 'utf8'))
          .split('\n')
          .flatMap((line, index) => (line.match(LITERAL_COLOUR) ?? []).map((found) => `${relative(root, file)}:${index + 1}: ${found}`)),
      );
    expect(literals).toEqual([]);
  });

  it('every colour variable the screens use is set for both the normal and the elderly look', () => {
    const sizes = definedIn(withoutComments(readFileSync(join(rendererSrc, 'styles', 'app.css'), 'utf8')));
    const used = new Set(cssFiles(rendererSrc).flatMap((file) => Array.from(readFileSync(file, 'utf8').matchAll(/var\((--[\w-]+)/g), (match) => match[1] ?? '')));
    const unset = [...used].filter((name) => !normal.has(name) && !sizes.has(name));
    expect(unset).toEqual([]);
    const normalOnly = [...normal].filter((name) => !elderly.has(name) && name !== '--qr-light');
    expect(normalOnly, 'set in :root but not for html.elderly').toEqual([]);
  });
});

import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { messageCodes } from '../../electron/contract/messages.js';

/**
 * What the citizen reads comes from the translation files only
 * (renderer/src/i18n/<language>/*.json, and the counter and display pages'
 * own), so English mode cannot show a Chinese string someone typed into a
 * component, and every key exists in both languages.
 */
const root = join(import.meta.dirname, '..', '..');
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]/;
const LANGUAGES = ['zh-CN', 'en'] as const;

function files(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path, keep);
    return keep(entry.name) ? [path] : [];
  });
}

/** Every string, template and JSX text in the source with a CJK character (comments and regular expressions do not count: no one reads them on screen). */
export function cjkLiterals(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node) || ts.isJsxText(node)) {
      const text = node.getText(file);
      if (CJK.test(text)) {
        const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
        found.push(`${relative(root, fileName)}:${line + 1}: ${text.trim().slice(0, 40)}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** Leaf keys of a translation file: `a.b.c`. */
function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keysOf(inner, prefix === '' ? key : `${prefix}.${key}`));
}

/** Leaf values with their keys. */
function leaves(value: unknown, prefix = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[prefix, value]];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => leaves(inner, prefix === '' ? key : `${prefix}.${key}`));
}

/** The language switch names the other language in its own script ("中文" on the English screen), as every bilingual kiosk does. */
const OWN_SCRIPT_KEYS = new Set(['common.json:chrome.language', 'hall.json:language']);

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

/** Every folder holding one sub-folder per language (renderer/src/i18n, and the counter and display pages' i18n when they have one). */
function translationRoots(): string[] {
  return files(join(root, 'renderer'), (name) => name.endsWith('.json'))
    .filter((path) => path.includes(`${join('i18n', 'zh-CN')}`))
    .map((path) => path.slice(0, path.indexOf(join('i18n', 'zh-CN')) + 'i18n'.length))
    .filter((path, index, all) => all.indexOf(path) === index);
}

describe('renderer text', () => {
  it('has no Chinese literal outside the translation files', () => {
    const sources = files(join(root, 'renderer'), (name) => /\.tsx?$/.test(name) && !name.endsWith('.d.ts') && !/\.test\.tsx?$/.test(name));
    const found = sources.flatMap((path) => cjkLiterals(path, readFileSync(path, 'utf8')));
    expect(found).toEqual([]);
  });

  it('catches a Chinese literal in JSX, a string and a template, and ignores comments', () => {
    const source = "// 注释\nconst a = '中文';\nconst b = `第${1}`;\nexport const C = () => <p>你好</p>;\nexport const D = () => <p title=\"English\">{a}{b}</p>;\n";
    expect(cjkLiterals(join(root, 'renderer/x.tsx'), source)).toHaveLength(3);
  });

  it('has the same keys in every language, in every translation folder', () => {
    const roots = translationRoots();
    expect(roots.length).toBeGreaterThan(0);
    for (const folder of roots) {
      const names = readdirSync(join(folder, 'zh-CN')).filter((name) => name.endsWith('.json'));
      for (const language of LANGUAGES) expect(readdirSync(join(folder, language)).filter((name) => name.endsWith('.json')).sort(), `${relative(root, folder)}/${language}`).toEqual([...names].sort());
      for (const name of names) {
        const [zh, en] = LANGUAGES.map((language) => keysOf(readJson(join(folder, language, name))).sort());
        expect(en, `${relative(root, folder)}/en/${name} vs zh-CN`).toEqual(zh);
      }
    }
  });

  it('has English text in the English files (no Chinese left untranslated)', () => {
    for (const folder of translationRoots()) {
      for (const name of readdirSync(join(folder, 'en')).filter((file) => file.endsWith('.json'))) {
        const english = readJson(join(folder, 'en', name));
        const chinese = leaves(english).filter(([key, text]) => CJK.test(text) && !OWN_SCRIPT_KEYS.has(`${name}:${key}`));
        expect(chinese, `${relative(root, folder)}/en/${name}`).toEqual([]);
      }
    }
  });

  it('translates every message code the host can send, in both languages', () => {
    for (const language of LANGUAGES) {
      const keys = new Set(keysOf(readJson(join(root, 'renderer/src/i18n', language, 'messages.json'))));
      // A code may be translated directly or through variants (`queue.closed_holiday`, `cases.fieldTooLong_remarks`).
      const missing = messageCodes.filter((code) => !keys.has(code) && ![...keys].some((key) => key.startsWith(`${code}_`)));
      expect(missing, language).toEqual([]);
    }
  });
});

import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The host never sends the citizen a sentence: what she reads is a message
 * code with parameters (electron/contract/messages.ts), translated by the
 * renderer. So in host code an ApiError's text (English, for logs) and the
 * `message` / `warning` / `say` of an outcome never hold a Chinese literal.
 * Nor does a device's health for the staff screen: its `reason` is a device
 * code (electron/common/device-reasons.ts) with parameters, in the host and
 * in the drivers alike. Printed words (electron/common/printed-words.ts) are
 * paper, not messages to the screen.
 */
const root = join(import.meta.dirname, '..', '..');
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]/;
const MESSAGE_PROPERTIES = new Set(['message', 'warning', 'say']);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** A string or template (with any of its parts) holding a CJK character, directly or as a named constant's value in the same file. */
function chineseIn(node: ts.Node, file: ts.SourceFile, constants: ReadonlyMap<string, ts.Expression>): boolean {
  if (ts.isStringLiteralLike(node) || ts.isTemplateExpression(node)) return CJK.test(node.getText(file));
  if (ts.isIdentifier(node)) {
    const value = constants.get(node.text);
    return value !== undefined && chineseIn(value, file, new Map());
  }
  if (ts.isBinaryExpression(node) || ts.isConditionalExpression(node) || ts.isParenthesizedExpression(node)) {
    let found = false;
    ts.forEachChild(node, (child) => {
      found ||= chineseIn(child, file, constants);
    });
    return found;
  }
  return false;
}

/** The parsed file, its named constants (for a literal hidden behind a name) and a reporter of `file:line: text`. */
function scanner(fileName: string, source: string, found: string[]): { file: ts.SourceFile; constants: Map<string, ts.Expression>; report: (node: ts.Node) => void } {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const constants = new Map<string, ts.Expression>();
  const collect = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer !== undefined) constants.set(node.name.text, node.initializer);
    ts.forEachChild(node, collect);
  };
  collect(file);
  const report = (node: ts.Node): void => {
    const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
    found.push(`${relative(root, fileName)}:${line + 1}: ${node.getText(file).slice(0, 60)}`);
  };
  return { file, constants, report };
}

/** Chinese literals where the host speaks to the citizen: `new ApiError(code, <text>)` and `message:` / `warning:` / `say:` properties. */
export function chineseHostMessages(fileName: string, source: string): string[] {
  const found: string[] = [];
  const { file, constants, report } = scanner(fileName, source, found);
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && node.expression.getText(file) === 'ApiError') {
      const text = node.arguments?.[1];
      if (text !== undefined && chineseIn(text, file, constants)) report(text);
    }
    if (ts.isPropertyAssignment(node) && MESSAGE_PROPERTIES.has(node.name.getText(file)) && chineseIn(node.initializer, file, constants)) report(node);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** Chinese literals in a device's health: a `reason` beside a `state` (a DeviceHealth literal), and any parameter of `deviceReason(code, params)`. */
export function chineseDeviceReasons(fileName: string, source: string): string[] {
  const found: string[] = [];
  const { file, constants, report } = scanner(fileName, source, found);
  const visit = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node)) {
      const names = new Set(node.properties.map((property) => property.name?.getText(file)));
      const reason = node.properties.find((property) => property.name?.getText(file) === 'reason');
      if (names.has('state') && reason !== undefined && ts.isPropertyAssignment(reason) && chineseIn(reason.initializer, file, constants)) report(reason);
    }
    if (ts.isCallExpression(node) && node.expression.getText(file) === 'deviceReason') {
      const params = node.arguments[1];
      if (params !== undefined && ts.isObjectLiteralExpression(params)) {
        for (const property of params.properties) if (ts.isPropertyAssignment(property) && chineseIn(property.initializer, file, constants)) report(property);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('device status reasons for the staff screen are codes, not Chinese text', () => {
  it('no DeviceHealth reason in electron/host or devices/ holds a Chinese literal', () => {
    const found = [join(root, 'electron', 'host'), join(root, 'devices')].flatMap((dir) => files(dir).flatMap((path) => chineseDeviceReasons(path, readFileSync(path, 'utf8'))));
    expect(found).toEqual([]);
  });

  it('catches the forms it looks for', () => {
    const sample = [
      "const NOTE = '单向连接，无法读取打印机状态';",
      "report({ state: 'error', reason: '打印机缺纸' });",
      "this.setHealth({ state: 'ok', reason: NOTE });",
      "setHealth({ state: 'disconnected', reason: `${PREFIX}：${detail}` });",
      "deviceReason('device.driverFailure', { detail: '驱动故障' });",
      "report({ state: 'error', reason: deviceReason('device.printerFault', { reason: 'paper_out' }) });",
      "return { kind: 'refused', reason: '不是设备' };",
    ].join('\n');
    const found = chineseDeviceReasons(join(root, 'sample.ts'), `const PREFIX = '扫描仪异常';\n${sample}`);
    expect(found.map((line) => line.split(': ')[0])).toEqual(['sample.ts:3', 'sample.ts:4', 'sample.ts:5', 'sample.ts:6']);
  });
});

describe('host messages to the citizen are codes, not Chinese text', () => {
  it('no ApiError text and no outcome message in electron/host holds a Chinese literal', () => {
    const found = files(join(root, 'electron', 'host')).flatMap((path) => chineseHostMessages(path, readFileSync(path, 'utf8')));
    expect(found).toEqual([]);
  });

  it('catches the forms it looks for', () => {
    const sample = [
      "const HINT = '请凭屏幕号码等候';",
      "throw new ApiError('refused', '本机暂停服务');",
      "return { ok: false, reason: 'x', message: `${detail}，${HINT}` };",
      'return { kind: "failed", message: HINT };',
      "throw new ApiError('refused', userMessage('cases.notFound', {}));",
      "report({ state: 'error', reason: '打印机缺纸' });",
    ].join('\n');
    expect(chineseHostMessages(join(root, 'sample.ts'), sample).map((line) => line.split(': ')[0])).toEqual(['sample.ts:2', 'sample.ts:3', 'sample.ts:4']);
  });
});

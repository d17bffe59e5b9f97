import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'liuliu-eval-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function evalCli(args: string[]): Promise<{ stdout: string; last: Record<string, unknown> }> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/eval-intent.ts', ...args], { cwd: ROOT, timeout: 90_000 });
  const lines = stdout.trim().split('\n');
  return { stdout, last: JSON.parse(lines.at(-1) ?? '{}') as Record<string, unknown> };
}

describe('scripts/eval-intent.ts', () => {
  it('computes top-1 and OOS figures on a small fixture, skipping bad lines', async () => {
    const fixture = join(dir, 'tiny.jsonl');
    // Training examples the model must know, one deliberately wrong expectation, one OOS line, one bad line.
    writeFileSync(
      fixture,
      [
        '{"text":"身份证丢了怎么办","expect":"svc:ps-idcard-reissue"}',
        '{"text":"哪里可以上厕所","expect":"fac:restroom"}',
        '{"text":"卫生间在哪里","expect":"svc:ee-passport"}',
        '{"text":"今天天气怎么样","expect":"oos"}',
        'not json',
        '',
      ].join('\n'),
    );
    const out = join(dir, 'pred.jsonl');
    const { stdout, last } = await evalCli([fixture, '--out', out]);
    expect(last).toMatchObject({ lines: 4, skipped: 1, modelState: 'ok', inScope: 3, outOfScope: 1, top1: 0.6667, oosRecall: 1, oosPrecision: 1 });
    expect(stdout).toContain('svc:ee-passport → fac:restroom × 1');
    const predictions = readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { predicted: string; top3: unknown[]; confidence: number });
    expect(predictions.map((p) => p.predicted)).toEqual(['svc:ps-idcard-reissue', 'fac:restroom', 'fac:restroom', 'oos']);
    expect(predictions.every((p) => p.top3.length === 3 && p.confidence > 0 && p.confidence <= 1)).toBe(true);
  }, 120_000);

  it('scores several files together in one run', async () => {
    const inScope = join(dir, 'in.jsonl');
    const outOfScope = join(dir, 'out.jsonl');
    writeFileSync(inScope, '{"text":"身份证丢了怎么办","expect":"svc:ps-idcard-reissue","source":"plain"}\n');
    writeFileSync(outOfScope, '{"text":"今天天气怎么样","expect":"oos","source":"plain"}\nnot json\n');
    const { last } = await evalCli([inScope, outOfScope]);
    expect(last).toMatchObject({ lines: 2, skipped: 1, inScope: 1, outOfScope: 1, top1: 1, oosRecall: 1 });
  }, 120_000);

  it('reports the shipped sample fixture with figures consistent with its predictions', async () => {
    const out = join(dir, 'sample-pred.jsonl');
    const { last } = await evalCli(['tests/fixtures/intent/sample.jsonl', '--out', out]);
    const predictions = readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { expect: string; predicted: string });
    const inScope = predictions.filter((p) => p.expect !== 'oos');
    const oos = predictions.filter((p) => p.expect === 'oos');
    expect(last.lines).toBe(predictions.length);
    expect(predictions.length).toBeGreaterThanOrEqual(20);
    expect(last.top1).toBeCloseTo(inScope.filter((p) => p.predicted === p.expect).length / inScope.length, 3);
    expect(last.oosRecall).toBeCloseTo(oos.filter((p) => p.predicted === 'oos').length / oos.length, 3);
    expect(last.top1).toBeGreaterThanOrEqual(0.7);
  }, 120_000);
});

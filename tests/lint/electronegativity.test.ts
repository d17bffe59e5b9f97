import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

/**
 * @doyensec/electronegativity over the repo (tests/lint/electronegativity/
 * config.json says which folders and which Electron version). Any finding
 * not justified in justified.json beside that config fails, and so does a
 * justification that no longer matches a finding (it would hide the next one).
 */
const root = join(import.meta.dirname, '..', '..');
const here = join(import.meta.dirname, 'electronegativity');
const Config = z.object({ folders: z.array(z.string().min(1)).min(1), electronVersion: z.string().regex(/^\d+\.\d+\.\d+$/) });
const Justified = z.array(z.object({ check: z.string().min(1), file: z.string().min(1), why: z.string().min(40) }).strict());
const Sarif = z.object({
  runs: z.array(
    z.object({
      results: z.array(
        z.object({
          ruleId: z.string(),
          message: z.object({ text: z.string() }),
          locations: z.array(z.object({ physicalLocation: z.object({ artifactLocation: z.object({ uri: z.string() }), region: z.object({ startLine: z.number() }).partial() }) })),
        }),
      ),
    }),
  ),
});

function scan(): Array<{ check: string; file: string; line: number | undefined; message: string }> {
  const config = Config.parse(JSON.parse(readFileSync(join(here, 'config.json'), 'utf8')));
  const copy = mkdtempSync(join(tmpdir(), 'liuliu-electronegativity-'));
  try {
    for (const folder of config.folders) cpSync(join(root, folder), join(copy, folder), { recursive: true });
    const out = join(copy, 'findings.sarif');
    const run = spawnSync(
      process.execPath,
      ['--require', join(here, 'offline.cjs'), join(root, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js'), '-i', copy, '-r', '-v', 'false', '-e', config.electronVersion, '-o', out],
      { encoding: 'utf8', timeout: 180_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const sarif = Sarif.parse(JSON.parse(readFileSync(out, 'utf8')));
    return sarif.runs.flatMap((r) =>
      r.results.map((result) => ({
        check: result.ruleId,
        file: result.locations[0]?.physicalLocation.artifactLocation.uri ?? '',
        line: result.locations[0]?.physicalLocation.region.startLine,
        message: result.message.text,
      })),
    );
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

describe('electronegativity', () => {
  it('finds nothing that is not justified, and every justification still matches a finding', { timeout: 240_000 }, () => {
    const justified = Justified.parse(JSON.parse(readFileSync(join(here, 'justified.json'), 'utf8')));
    const findings = scan();
    const isJustified = (f: { check: string; file: string }): boolean => justified.some((j) => j.check === f.check && j.file === f.file);
    expect(findings.filter((f) => !isJustified(f))).toEqual([]);
    expect(justified.filter((j) => !findings.some((f) => f.check === j.check && f.file === j.file))).toEqual([]);
  });
});

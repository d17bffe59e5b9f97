import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

async function importErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering lint rules', () => {
  it('keeps Node, devices and the host out of the renderer', async () => {
    expect(await importErrors('renderer/src/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).toHaveLength(1);
    expect(await importErrors('renderer/src/x.ts', "import { startHost } from '../../electron/host/index.js';\nexport const x = startHost;\n")).toHaveLength(1);
    expect(await importErrors('renderer/src/x.ts', "import { api } from '../../electron/contract/index.js';\nexport const x = api;\n")).toHaveLength(0);
  });

  it('keeps Electron out of the host and the host out of devices', async () => {
    expect(await importErrors('electron/host/x.ts', "import { app } from 'electron';\nexport const x = app;\n")).toHaveLength(1);
    expect(await importErrors('devices/x.ts', "import { startHost } from '../electron/host/index.js';\nexport const x = startHost;\n")).toHaveLength(1);
    expect(await importErrors('electron/contract/x.ts', "import { join } from 'node:path';\nexport const x = join;\n")).toHaveLength(1);
  });

  it('keeps the supervisor plain Node: no Electron, no renderer, no devices', async () => {
    expect(await importErrors('electron/supervisor/x.ts', "import { app } from 'electron';\nexport const x = app;\n")).toHaveLength(1);
    expect(await importErrors('electron/supervisor/x.ts', "import { createIdCardReader } from '../../devices/idcard/index.js';\nexport const x = createIdCardReader;\n")).toHaveLength(1);
    expect(await importErrors('electron/supervisor/x.ts', "import { backoffDelay } from '../common/backoff.js';\nexport const x = backoffDelay;\n")).toHaveLength(0);
  });
});

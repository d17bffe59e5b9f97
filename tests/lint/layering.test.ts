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

  it('lets others see the hall service only through its protocol (and the kiosk also its pure rules and public entry)', async () => {
    const use = (from: string) => `import { x } from '${from}';\nexport const y = x;\n`;
    expect(await importErrors('renderer/counter/x.ts', use('../../hall/protocol/index.js'))).toHaveLength(0);
    expect(await importErrors('renderer/counter/x.ts', use('../../hall/service.js'))).toHaveLength(1);
    expect(await importErrors('renderer/counter/x.ts', use('../../hall/index.js'))).toHaveLength(1);
    expect(await importErrors('electron/host/queue/x.ts', use('../../../hall/protocol/index.js'))).toHaveLength(0);
    expect(await importErrors('electron/host/queue/x.ts', use('../../../hall/index.js'))).toHaveLength(0);
    expect(await importErrors('electron/host/queue/x.ts', use('../../../hall/rules.js'))).toHaveLength(0);
    expect(await importErrors('electron/host/queue/x.ts', use('../../../hall/store.js'))).toHaveLength(1);
    expect(await importErrors('electron/host/queue/x.ts', use('../../../hall/server.js'))).toHaveLength(1);
    expect(await importErrors('hall/x.ts', use('../electron/host/queue/remote.js'))).toHaveLength(1);
    expect(await importErrors('hall/x.ts', use('../electron/host/storage/database.js'))).toHaveLength(0);
    expect(await importErrors('hall/protocol/x.ts', use('node:fs'))).toHaveLength(1);
    expect(await importErrors('hall/protocol/x.ts', use('../store.js'))).toHaveLength(1);
  });

  it('keeps the platform contract neutral, so the platform and the host never import each other', async () => {
    const use = (from: string) => `import { x } from '${from}';\nexport const y = x;\n`;
    expect(await importErrors('electron/host/sync/x.ts', use('../../../platform/server.js'))).toHaveLength(1);
    expect(await importErrors('electron/host/sync/x.ts', use('../../../platform-contract/contract.js'))).toHaveLength(0);
    expect(await importErrors('platform/x.ts', use('../electron/host/sync/worker.js'))).toHaveLength(1);
    expect(await importErrors('platform/x.ts', use('../platform-contract/contract.js'))).toHaveLength(0);
    expect(await importErrors('platform-contract/x.ts', use('../electron/host/storage/database.js'))).toHaveLength(1);
    expect(await importErrors('platform-contract/x.ts', use('../platform/store.js'))).toHaveLength(1);
  });

  it('keeps the supervisor plain Node: no Electron, no renderer, no devices', async () => {
    expect(await importErrors('electron/supervisor/x.ts', "import { app } from 'electron';\nexport const x = app;\n")).toHaveLength(1);
    expect(await importErrors('electron/supervisor/x.ts', "import { createIdCardReader } from '../../devices/idcard/index.js';\nexport const x = createIdCardReader;\n")).toHaveLength(1);
    expect(await importErrors('electron/supervisor/x.ts', "import { backoffDelay } from '../common/backoff.js';\nexport const x = backoffDelay;\n")).toHaveLength(0);
  });
});

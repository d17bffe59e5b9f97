import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLoopbackPlatform, type LoopbackPlatform } from '../../platform/testing.js';
import { createApiClient } from '../../renderer/src/api/client.js';
import { parseConfig } from '../../electron/host/config/load.js';
import { startHost, type KioskHost } from '../../electron/host/index.js';
import { silentLogger } from '../../electron/host/logging/logger.js';
import { hashPin } from '../../electron/host/staff/credentials.js';
import { memoryPipe } from '../../electron/host/rpc/memory-transport.js';
import { callValue as value, eventually } from '../support/host.js';

/**
 * The whole path of a case's status, with real parts only: a citizen files a
 * pre-application at a host (simulated card over a pty, SANE's test backend),
 * the case reaches the reference platform through the outbox, the platform
 * moves it on, and the host's status pull updates what the progress view shows.
 */
const terminal = { id: 'kiosk-01', secret: 'kiosk-01-secret-0123456789' };
const PIN = '246810';
const SERVICE = 'hr-employment-cert'; // one required material

let platform: LoopbackPlatform | undefined;
let host: KioskHost | undefined;
const dirs: string[] = [];

afterEach(async () => {
  await host?.stop();
  host = undefined;
  await platform?.close();
  platform = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('case status from the platform reaches the progress view', () => {
  it('a submitted case syncs once, and a status change pulled from the platform updates its stage', async () => {
    platform = await startLoopbackPlatform({ terminals: [terminal] });
    const dataDir = mkdtempSync(join(tmpdir(), 'liuliu-case-status-'));
    dirs.push(dataDir);
    host = await startHost(
      parseConfig(
        {
          terminalId: terminal.id,
          developerMode: true,
          staffPinHash: hashPin(PIN),
          devices: { idcard: { kind: 'simulator' }, printer: { kind: 'simulator' }, scanner: { kind: 'simulator' } },
          queue: { listen: { port: 0 } },
          platform: { baseUrl: platform.url, secret: terminal.secret, intervalSeconds: 3600 },
          session: { idleTimeoutSeconds: 600, countdownSeconds: 15 },
        },
        'test',
        { LIULIU_DATA_DIR: dataDir },
      ),
      { logger: silentLogger() },
    );
    const pipe = memoryPipe();
    host.attach(pipe.host);
    const client = createApiClient(pipe.renderer);

    await value(client, 'dev.idcard.place', { cardId: 'zhang' });
    await eventually(() => client.call('session.current', {}), (r) => r.ok && r.value?.kind === 'citizen');
    const draft = await value(client, 'cases.startDraft', { serviceId: SERVICE });
    for (const materialIndex of draft.missing) await value(client, 'cases.scanPage', { materialIndex });
    await value(client, 'cases.updateForm', { phone: '13800138000', mailingAddress: '', remarks: '' });
    const submitted = await value(client, 'cases.submit', {});
    expect((await value(client, 'cases.query', { number: submitted.preAcceptanceNumber })).stage).toBe('申请');

    await value(client, 'staff.login', { pin: PIN });
    await value(client, 'sync.now', {});
    expect(await platform.admin.recordIds()).toContain(submitted.caseId);

    await platform.admin.postCaseStatus({ caseId: submitted.caseId, status: 'accepted' });
    await value(client, 'sync.now', {});
    const after = await eventually(
      () => value(client, 'cases.query', { number: submitted.preAcceptanceNumber }),
      (view) => view.stage === '受理',
    );
    expect(after.stage).toBe('受理');
    expect(after.stages.find((s) => s.stage === '受理')?.at).not.toBeNull();

    // A second pull re-delivers nothing new and changes nothing.
    await value(client, 'sync.now', {});
    expect((await value(client, 'cases.query', { number: submitted.preAcceptanceNumber })).stage).toBe('受理');
  }, 60_000);
});

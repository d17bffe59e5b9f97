import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rejectionReason } from '../../../platform-contract/kinds.js';
import { type ApiClient } from '../../../renderer/src/api/client.js';
import type { EventPayload, ResultOf } from '../../contract/index.js';
import { loadContent } from '../content/loader.js';
import type { ContentPackage } from '../content/schema.js';
import type { HostContext } from '../module.js';
import { appRoot } from '../paths.js';
import { moduleHarness } from '../../../tests/support/host.js';
import { ApiError } from '../../contract/index.js';
import { cleanHelpReason, helpMigrations, popularQuestions, robotModule, type RobotHostModule, type RobotModuleOptions } from './module.js';

/**
 * The robot module on its own RPC server with real storage and the shipped
 * model: every call takes the path a renderer's call takes (contract
 * validation of params and results included).
 */
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const shipped = loadContent(join(appRoot(), 'content', 'hall'));

interface Harness {
  client: ApiClient;
  context: HostContext;
  module: RobotHostModule;
  switchContent: (next: ContentPackage) => void;
}

async function boot(options: RobotModuleOptions = {}): Promise<Harness> {
  const harness = await moduleHarness(cleanups);
  const module = robotModule(harness.context, options);
  const client = await harness.serve(module);
  return { client, context: harness.context, module, switchContent: harness.switchContent };
}

async function ask(client: ApiClient, text: string): Promise<ResultOf<'robot.ask'>> {
  const reply = await client.call('robot.ask', { text });
  if (!reply.ok) throw new Error(`robot.ask failed: ${reply.error.code} ${reply.error.message}`);
  return reply.value;
}

const robotStatus = (context: HostContext) => context.devices.list().find((s) => s.device === 'robot');

describe('robot module', () => {
  it('answers a question with the composed answer, the destination and its floor map; reports the model as ok with its load time', async () => {
    const { client, context } = await boot();
    const answer = await ask(client, '身份证丢了怎么办');
    expect(answer.kind).toBe('intent');
    expect(answer.serviceId).toBe('ps-idcard-reissue');
    expect(answer.queueCategoryId).toBe('qc-household');
    expect(answer.destination).toMatchObject({ floor: 2, departmentId: 'public-security', windows: ['53', '54'] });
    expect(answer.text).toContain('公安局');
    expect(answer.spoken).toBe('请到2楼公安局53、54号窗口办理');
    expect(answer.actions).toEqual(expect.arrayContaining(['ticket', 'guide']));
    expect(answer.materials?.length).toBeGreaterThan(0);
    expect(answer.floorMap?.floor).toBe(2);
    const highlighted = answer.floorMap?.areas.filter((a) => a.highlighted) ?? [];
    expect(highlighted).toHaveLength(1);
    expect(highlighted[0]?.departmentIds).toContain('public-security');
    const status = robotStatus(context);
    expect(status?.state).toBe('ok');
    expect(status?.reason).toMatchObject({ code: 'device.robotLoaded', params: { loadMs: expect.any(Number) } });
  }, 60_000);

  it('answers a tapped suggestion, offers popular questions from the content, and pinyin candidates', async () => {
    const { client } = await boot();
    const suggestion = await client.call('robot.suggestion', { intentId: 'svc:ps-idcard-reissue' });
    expect(suggestion.ok && suggestion.value.destination?.windows).toEqual(['53', '54']);
    const unknown = await client.call('robot.suggestion', { intentId: 'no-such-intent' });
    expect(unknown.ok && unknown.value.kind).toBe('out-of-scope');

    const popular = await client.call('robot.popular', {});
    expect(popular.ok).toBe(true);
    if (!popular.ok) return;
    expect(popular.value).toEqual(popularQuestions(shipped));
    expect(popular.value.length).toBe(6);
    const firstExamples = new Map(shipped.intents.intents.map((i) => [i.id, i.examples[0]]));
    for (const chip of popular.value) expect(chip.label).toBe(firstExamples.get(chip.intentId));

    const candidates = await client.call('input.candidates', { query: 'sfz' });
    expect(candidates.ok).toBe(true);
    if (!candidates.ok) return;
    expect(candidates.value.map((c) => c.text)).toContain('身份证');
    const none = await client.call('input.candidates', { query: '' });
    expect(none.ok && none.value).toEqual([]);
  }, 60_000);

  it('gives a sane answer to bad input: empty, 10,000 characters, emoji only, mixed script, control characters', async () => {
    const { client } = await boot();
    const inputs = ['', '   ', '身份证'.repeat(3333) + '丢', '😀😂🎉🙏', 'ID card 身份证 lost 丢了 how to 补办?', '身份证\u0000\u0007丢了\u001b[31m怎么办\u200b'];
    const answers = await Promise.all(inputs.map((text) => ask(client, text)));
    for (const answer of answers) {
      expect(['intent', 'out-of-scope', 'unsure', 'clarify']).toContain(answer.kind);
      expect(answer.text.length).toBeGreaterThan(0);
      expect(answer.text).not.toMatch(/[{}]/);
    }
    expect(answers[0]?.kind).toBe('out-of-scope');
    expect(answers[1]?.kind).toBe('out-of-scope');
    expect(answers[3]?.kind).toBe('out-of-scope');
    expect(answers[5]?.serviceId).toBe('ps-idcard-reissue');
    const tooLong = await client.call('robot.ask', { text: 'x'.repeat(10_001) });
    expect(tooLong.ok ? 'ok' : tooLong.error.code).toBe('bad_request');
  }, 60_000);

  it('reloads the brain when the content changes: the new answer template is used', async () => {
    const { client, module, switchContent } = await boot();
    const before = await ask(client, '身份证丢了怎么办');
    expect(before.text).not.toContain('测试版答案');
    const next: ContentPackage = {
      ...shipped,
      intents: {
        ...shipped.intents,
        intents: shipped.intents.intents.map((intent) => (intent.id === 'svc:ps-idcard-reissue' ? { ...intent, answer: '测试版答案：请到{floor}楼{department}{windows}号窗口。' } : intent)),
      },
    };
    switchContent(next);
    await module.reloaded();
    const after = await ask(client, '身份证丢了怎么办');
    expect(after.text).toBe('测试版答案：请到2楼公安局53、54号窗口。');
  }, 90_000);

  it('runs on the lexical matcher with a degraded robot status when the model directory is missing', async () => {
    const { client, context } = await boot({ modelDir: join(tmpdir(), 'liuliu-no-such-model-dir') });
    const status = robotStatus(context);
    expect(status?.state).toBe('degraded');
    expect(status?.reason).toMatchObject({ code: 'device.robotLexicalOnly', params: { detail: expect.any(String), loadMs: expect.any(Number) } });
    const answer = await ask(client, '身份证丢了怎么办');
    expect(answer.serviceId).toBe('ps-idcard-reissue');
    expect(answer.destination?.floor).toBe(2);
  }, 60_000);

  it('stores a help request with its outbox row, announces it, and lets staff list and resolve it behind the staff guard', async () => {
    let staffOpen = false;
    const { client, context } = await boot({
      requireStaff: () => {
        if (!staffOpen) throw new ApiError('refused', 'a staff PIN session is required', { reason: 'staff' });
      },
    });
    const announced: Array<EventPayload<'help.requested'>> = [];
    client.on('help.requested', (payload) => announced.push(payload));

    context.redactor.rememberName('张三丰'); // the logged-in citizen
    const reply = await client.call('robot.callStaff', { reason: '张三丰的身份证\u0000丢了 430181198001011239 \n 需要帮助' });
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    const request = reply.value;
    expect(request.status).toBe('open');
    expect(request.terminalId).toBe(context.config.terminalId);
    expect(request.reason).toBe('张*丰的身份证丢了 430181********1239 需要帮助');

    const rows = await context.db.all<{ id: string; status: string }>('SELECT id, status FROM help_requests');
    expect(rows).toEqual([{ id: request.id, status: 'open' }]);
    const queued = await context.outbox.pending(context.db, 10);
    expect(queued).toHaveLength(1);
    const row = queued[0];
    expect(row?.kind).toBe('help.request');
    expect(row?.id).toBe(request.id);
    expect(row?.payload).toEqual({ id: request.id, at: request.at, terminalId: request.terminalId, reason: request.reason });
    expect(rejectionReason({ id: row?.id ?? '', kind: 'help.request', schemaVersion: 1, payload: row?.payload as Record<string, unknown>, createdAt: request.at })).toBeNull();

    await expect.poll(() => announced.length, { timeout: 10_000 }).toBe(1);
    expect(announced[0]).toEqual(request);

    const refused = await client.call('help.list', {});
    expect(refused.ok ? 'ok' : refused.error.code).toBe('refused');
    staffOpen = true;
    const open = await client.call('help.list', {});
    expect(open.ok && open.value.map((r) => r.id)).toEqual([request.id]);
    const resolved = await client.call('help.resolve', { id: request.id });
    expect(resolved.ok).toBe(true);
    const after = await client.call('help.list', {});
    expect(after.ok && after.value).toEqual([]);
    const missing = await client.call('help.resolve', { id: 'nope' });
    expect(missing.ok ? 'ok' : missing.error.code).toBe('not_found');
  }, 60_000);

  it('keeps a help request reason sealed at rest: the address and phone a citizen typed are nowhere in the database files', async () => {
    const harness = await moduleHarness(cleanups);
    // A row written in clear by the version before sealing: the module seals it when it starts.
    await harness.context.db.migrate('help', [helpMigrations[0]!]);
    await harness.context.db.run("INSERT INTO help_requests (id, at, terminal_id, reason) VALUES ('old', '2026-11-25T01:00:00.000Z', 'kiosk-01', '我住在示范市幸福路18号 电话13912345678')");
    const client = await harness.serve(robotModule(harness.context, { requireStaff: () => undefined }));
    const reply = await client.call('robot.callStaff', { reason: '请寄到湖南省长沙市岳麓区麓山南路932号，电话13800138000' });
    expect(reply.ok && reply.value.reason).toBe('请寄到湖南省长沙市岳麓区麓山南路932号，电话13800138000');
    const listed = await client.call('help.list', {});
    expect(listed.ok && listed.value.map((r) => r.reason)).toEqual(['我住在示范市幸福路18号 电话13912345678', '请寄到湖南省长沙市岳麓区麓山南路932号，电话13800138000']);
    await harness.context.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    for (const name of readdirSync(harness.dataDir).filter((file) => file.startsWith('liuliu.db'))) {
      const bytes = readFileSync(join(harness.dataDir, name));
      for (const secret of ['麓山南路932号', '13800138000', '幸福路18号', '13912345678']) expect(bytes.includes(Buffer.from(secret)), `${secret} in ${name}`).toBe(false);
    }
  }, 60_000);

  it('refuses the staff methods when no staff guard is wired (fail closed)', async () => {
    const { client } = await boot();
    const reply = await client.call('help.list', {});
    expect(reply.ok ? 'ok' : reply.error.code).toBe('refused');
  }, 60_000);

  it('cleans help reasons: control characters, ID numbers, length, empty', () => {
    expect(cleanHelpReason(undefined)).toBeNull();
    expect(cleanHelpReason(' \u0000 ')).toBeNull();
    expect(cleanHelpReason('a'.repeat(500))).toHaveLength(200);
  });
});

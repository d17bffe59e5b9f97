import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadContent } from '../content/loader.js';
import { RobotBrain } from './brain.js';

const ROOT = join(import.meta.dirname, '../../..');
const content = loadContent(join(ROOT, 'content/hall'));
const empty = mkdtempSync(join(tmpdir(), 'liuliu-nomodel-'));

afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe('RobotBrain', () => {
  it('answers a question end to end from the shipped model and content', async () => {
    const brain = await RobotBrain.load({ modelDir: join(ROOT, 'content/model'), content });
    const { result, answer } = brain.ask('我想补办身份证件，去哪里办？', { currentFloor: 1 });
    expect(result.intentId).toBe('svc:ps-idcard-reissue');
    expect(answer.spoken).toBe('请到2楼公安局53、54号窗口办理');
    expect(answer.destination?.floor).toBe(2);
    const lost = brain.ask('身份证丢了怎么办').answer;
    expect(lost.destination).toEqual({ floor: 2, departmentId: 'public-security', windows: ['53', '54'] });
    expect(lost.spoken).toContain('公安局');
    expect(brain.ask('给我讲个笑话').answer.kind).toBe('out-of-scope');
    expect(brain.ask('').answer.kind).toBe('out-of-scope');
    expect(brain.health().state).toBe('ok');
    brain.dispose();
  });

  it('keeps answering from the lexical matcher when there is no model', async () => {
    const brain = await RobotBrain.load({ modelDir: empty, content });
    expect(brain.health()).toMatchObject({ state: 'degraded' });
    expect(brain.health().reason).toContain('intent-config.json');
    expect(brain.ask('身份证丢了怎么办').answer.destination?.windows).toEqual(['53', '54']);
  });
});

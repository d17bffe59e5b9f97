import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContentError, loadContent } from './loader.js';
import { contentRoot } from '../paths.js';

const shipped = join(contentRoot(), 'hall');

function copyPackage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'liuliu-content-'));
  cpSync(shipped, dir, { recursive: true });
  return dir;
}

function edit(dir: string, file: string, change: (json: Record<string, unknown>) => void): void {
  const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
  change(json);
  writeFileSync(join(dir, file), JSON.stringify(json));
}

describe('content loader', () => {
  it('accepts the shipped demo hall', () => {
    const content = loadContent(shipped);
    expect(content.hall.name).toBe('示范市民之家');
    expect(content.services.services).toHaveLength(106);
    expect(content.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reports each name that has no English', () => {
    const dir = copyPackage();
    edit(dir, 'hall.json', (hall) => {
      const departments = hall.departments as Array<Record<string, unknown>>;
      delete departments[8]?.nameEn;
      delete (hall.robot as Record<string, unknown>).nameEn;
    });
    edit(dir, 'services.json', (file) => {
      delete (file.services as Array<Record<string, unknown>>)[0]?.nameEn;
      delete (file.lifeEventsEn as Record<string, unknown>)['证件办理'];
      delete (file.onlineModesEn as Record<string, unknown>)['网上预审'];
      delete (file.stagesEn as Record<string, unknown>)['审核'];
    });
    const error = (() => {
      try {
        loadContent(dir);
        return undefined;
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(ContentError);
    expect((error as ContentError).problems).toEqual([
      'hall.json: robot (浏浏) has no nameEn',
      'hall.json: department public-security (公安局) has no nameEn',
      'services.json: life event (证件办理) has no lifeEventsEn entry',
      'services.json: online mode (网上预审) has no onlineModesEn entry',
      'services.json: stage (审核) has no stagesEn entry',
      'services.json: service xz-birth-one-thing (新生儿"出生一件事"联办) has no nameEn',
    ]);
  });

  it("refuses guide English that does not pair with its Chinese, naming the service", () => {
    const dir = copyPackage();
    edit(dir, 'services.json', (file) => {
      const services = file.services as Array<{ id: string; guide: { conditionsEn: string[]; materials: Array<Record<string, unknown>> } }>;
      const birth = services.find((service) => service.id === 'ps-birth-registration');
      birth?.guide.conditionsEn.pop();
      const idcard = services.find((service) => service.id === 'ps-idcard-renew');
      if (idcard?.guide.materials[0] !== undefined) {
        delete idcard.guide.materials[0].note;
        idcard.guide.materials[0].noteEn = 'Original';
      }
    });
    edit(dir, 'hall.json', (hall) => {
      const departments = hall.departments as Array<{ id: string; windowNotesEn?: Record<string, string> }>;
      const police = departments.find((department) => department.id === 'public-security');
      if (police?.windowNotesEn !== undefined) police.windowNotesEn['57'] = 'Window that does not exist';
    });
    const problems = (() => {
      try {
        loadContent(dir);
        return [];
      } catch (err) {
        return (err as ContentError).problems;
      }
    })();
    expect(problems).toContain('services.json: service ps-birth-registration: conditionsEn has 1 texts but conditions has 2 (they pair by position)');
    expect(problems).toContain('services.json: service ps-idcard-renew: materials[0].noteEn has English but no Chinese text');
    expect(problems).toContain('hall.json: department public-security: windowNotesEn has window 57 but windowNotes has no note for it');
  });

  it('refuses a robot answer without its English', () => {
    const dir = copyPackage();
    edit(dir, 'intents.json', (file) => {
      const intents = file.intents as Array<Record<string, unknown>>;
      delete intents.find((intent) => intent.id === 'fac:restroom')?.answerEn;
      delete intents.find((intent) => intent.id === 'svc:ca-marriage')?.answerEn;
    });
    expect(() => loadContent(dir)).toThrow(ContentError);
    try {
      loadContent(dir);
    } catch (err) {
      expect((err as ContentError).problems).toEqual(['intents.json: intent svc:ca-marriage has no answerEn', 'intents.json: intent fac:restroom has no answerEn']);
    }
  });

  it('names where saved documents are collected, and refuses a file path there or no place at all', () => {
    expect(loadContent(shipped).hall.documentPickup).toBe('1楼咨询导服台');
    for (const [pickup, expected] of [
      ['/var/lib/liuliu/documents', 'not a file path'],
      ['', 'hall.json: documentPickup'],
      [undefined, 'hall.json: documentPickup'],
    ] as const) {
      const dir = copyPackage();
      edit(dir, 'hall.json', (hall) => {
        if (pickup === undefined) delete hall['documentPickup'];
        else hall['documentPickup'] = pickup;
      });
      expect(() => loadContent(dir)).toThrow(expected);
    }
  });

  it('reports every problem at once: schema and invariants', () => {
    const dir = copyPackage();
    edit(dir, 'hall.json', (hall) => {
      const departments = hall['departments'] as Array<Record<string, unknown>>;
      departments[1]!['windows'] = ['3']; // window 3 already belongs to the first department
    });
    edit(dir, 'services.json', (services) => {
      const list = services['services'] as Array<Record<string, unknown>>;
      list[0]!['departmentId'] = 'no-such-department';
      list[1]!['name'] = 42;
    });
    let error: unknown;
    try {
      loadContent(dir);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ContentError);
    const problems = (error as ContentError).problems.join('\n');
    expect(problems).toContain('services.json: services.1.name');
    // Invariants are only checked once every file parses; a second pass shows them.
    edit(dir, 'services.json', (services) => {
      const list = services['services'] as Array<Record<string, unknown>>;
      list[1]!['name'] = 'fixed';
    });
    const second = (() => {
      try {
        loadContent(dir);
        return [];
      } catch (err) {
        return (err as ContentError).problems;
      }
    })();
    expect(second.some((p) => p.includes('unknown department "no-such-department"'))).toBe(true);
    expect(second.some((p) => p.includes('window 3 already belongs to'))).toBe(true);
    expect(second.length).toBeGreaterThanOrEqual(3);
  });

  it('names unreadable and malformed files', () => {
    const dir = copyPackage();
    writeFileSync(join(dir, 'intents.json'), '{ not json');
    expect(() => loadContent(dir)).toThrow(/intents.json: is not valid JSON/);
  });
});

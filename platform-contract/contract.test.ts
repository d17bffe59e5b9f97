import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as contract from './contract.js';

/**
 * platform-contract/openapi.yaml is the published contract, platform-contract/contract.ts the
 * same contract in code. This test reads the YAML (with a reader for the
 * block-style subset the file is written in) and checks that both name the
 * same paths and methods, and that every schema has the same properties,
 * required fields, types, enums and nesting.
 */
type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };
type YamlMap = { [key: string]: Yaml };

function parseYamlSubset(text: string): Yaml {
  const lines = text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'))
    .map((line) => ({ indent: line.length - line.trimStart().length, text: line.trim() }));
  let at = 0;
  const scalar = (raw: string): Yaml => {
    if (raw.startsWith('[')) return raw.slice(1, -1).split(',').map((item) => item.trim()).filter((item) => item !== '').map(scalar);
    if (raw.startsWith("'")) return raw.slice(1, -1).replaceAll("''", "'");
    if (raw.startsWith('"')) return JSON.parse(raw) as string;
    if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
    if (raw === 'true' || raw === 'false') return raw === 'true';
    if (raw === 'null') return null;
    return raw;
  };
  const splitKey = (text: string): [string, string | undefined] => {
    const match = /^(.*?):(?:\s+(.*)|)$/.exec(text);
    if (!match?.[1]) throw new Error(`not a YAML map entry: ${text}`);
    const key = match[1].startsWith("'") ? match[1].slice(1, -1) : match[1];
    return [key, match[2]];
  };
  const block = (indent: number): Yaml => (lines[at]?.text.startsWith('- ') ? sequence(indent) : map(indent));
  const map = (indent: number): YamlMap => {
    const out: YamlMap = {};
    for (let line = lines[at]; line !== undefined && line.indent === indent && !line.text.startsWith('- '); line = lines[at]) {
      const [key, value] = splitKey(line.text);
      at += 1;
      const next = lines[at];
      out[key] = value !== undefined ? scalar(value) : next !== undefined && next.indent > indent ? block(next.indent) : null;
    }
    return out;
  };
  const sequence = (indent: number): Yaml[] => {
    const out: Yaml[] = [];
    for (let line = lines[at]; line !== undefined && line.indent === indent && line.text.startsWith('- '); line = lines[at]) {
      lines[at] = { indent: indent + 2, text: line.text.slice(2) };
      out.push(map(indent + 2));
    }
    return out;
  };
  return block(0);
}

interface Shape {
  type: unknown;
  enum?: unknown;
  properties?: Record<string, Shape>;
  required?: string[];
  items?: Shape;
  additionalProperties?: Shape;
}

/** Reduces a JSON Schema to what both sides must agree on; `$ref`s are followed. */
function shape(schema: YamlMap, resolve: (ref: string) => YamlMap): Shape {
  if (typeof schema.$ref === 'string') return shape(resolve(schema.$ref), resolve);
  if (Array.isArray(schema.anyOf)) return { type: schema.anyOf.map((option) => shape(option as YamlMap, resolve).type).flat().sort() };
  const out: Shape = { type: Array.isArray(schema.type) ? [...schema.type].sort() : schema.type };
  if (schema.enum !== undefined) out.enum = schema.enum;
  if (schema.properties !== undefined) {
    out.properties = Object.fromEntries(Object.entries(schema.properties as YamlMap).map(([key, value]) => [key, shape(value as YamlMap, resolve)]));
    out.required = [...((schema.required as string[] | undefined) ?? [])].sort();
  }
  if (schema.items !== undefined) out.items = shape(schema.items as YamlMap, resolve);
  const extra = schema.additionalProperties;
  if (typeof extra === 'object' && extra !== null && Object.keys(extra).length > 0) out.additionalProperties = shape(extra as YamlMap, resolve);
  return out;
}

const yaml = parseYamlSubset(readFileSync(new URL('./openapi.yaml', import.meta.url), 'utf8')) as YamlMap;
const components = yaml.components as YamlMap;
const yamlSchemas = components.schemas as YamlMap;
const resolveYaml = (ref: string): YamlMap => {
  const name = ref.replace('#/components/schemas/', '');
  const found = yamlSchemas[name];
  if (found === undefined) throw new Error(`openapi.yaml has no schema ${name}`);
  return found as YamlMap;
};
const noRefs = (): YamlMap => {
  throw new Error('zod output has no $refs');
};

const schemaNames = [
  'SyncRecord',
  'BatchRequest',
  'RecordAck',
  'BatchResponse',
  'ContentCurrent',
  'ContentFile',
  'ContentBundle',
  'CaseStatusChange',
  'CaseStatusPage',
  'DeviceStatus',
  'Heartbeat',
  'HeartbeatResponse',
  'BlobStatus',
  'Reply',
  'ReplyPage',
  'RestartRecord',
  'CommandResult',
  'MaintenanceState',
  'CommandEnvelope',
  'LogFile',
  'LogUpload',
  'LogUploadResponse',
  'ReusableMaterial',
  'ReusableMaterials',
  'Appointment',
  'AppointmentPage',
  'ErrorBody',
] as const;

describe('openapi.yaml and contract.ts', () => {
  it('is OpenAPI 3.1 and names exactly the contract paths, with their methods', () => {
    expect(yaml.openapi).toBe('3.1.0');
    const paths = yaml.paths as YamlMap;
    expect(Object.keys(paths).sort()).toEqual(Object.values(contract.PATHS).sort());
    const methods = Object.fromEntries(Object.entries(paths).map(([path, ops]) => [path, Object.keys(ops as YamlMap)]));
    expect(methods).toEqual({
      [contract.PATHS.recordsBatch]: ['post'],
      [contract.PATHS.contentCurrent]: ['get'],
      [contract.PATHS.contentPackage]: ['get'],
      [contract.PATHS.caseStatusChanges]: ['get'],
      [contract.PATHS.heartbeat]: ['post'],
      [contract.PATHS.blob]: ['get', 'put'],
      [contract.PATHS.replies]: ['get'],
      [contract.PATHS.logsUpload]: ['post'],
      [contract.PATHS.materials]: ['get'],
      [contract.PATHS.appointments]: ['get'],
    });
  });

  it('names the auth headers the code signs with', () => {
    const schemes = Object.values(components.securitySchemes as YamlMap).map((scheme) => String((scheme as YamlMap).name).toLowerCase());
    expect(schemes.sort()).toEqual(Object.values(contract.AUTH_HEADERS).sort());
  });

  it.each(schemaNames)('agrees on the %s schema', (name) => {
    const fromZod = z.toJSONSchema(contract[name], { io: 'input', unrepresentable: 'any' }) as unknown as YamlMap;
    expect(shape(resolveYaml(name), resolveYaml)).toEqual(shape(fromZod, noRefs));
  });

  it('gives the record the fields the terminal sends', () => {
    expect(Object.keys((yamlSchemas.SyncRecord as YamlMap).properties as YamlMap).sort()).toEqual(Object.keys(contract.SyncRecord.shape).sort());
    expect(((yamlSchemas.RecordAck as YamlMap).properties as YamlMap).status).toMatchObject({ enum: contract.AckStatus.options });
  });
});

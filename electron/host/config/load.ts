import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { contentRoot } from '../paths.js';
import { KioskConfig } from './schema.js';

/** A config file that cannot be used. The kiosk refuses to start rather than half-start. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    detail: string,
  ) {
    super(`config ${file}: ${field === '' ? '' : `field "${field}": `}${detail}`);
    this.name = 'ConfigError';
  }
}

/** A configuration with every default filled in and every path resolved. */
export interface ResolvedConfig extends KioskConfig {
  dataDir: string;
  contentDir: string;
  /** Where the config came from (a file path or EMBEDDED_DEMO_SOURCE). */
  source: string;
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['LIULIU_DATA_DIR']) return resolve(env['LIULIU_DATA_DIR']);
  const base = env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share');
  return join(base, 'liuliu');
}

/** Validates a parsed config object; the first problem is reported by field path. */
export function parseConfig(raw: unknown, source: string, env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  const result = KioskConfig.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.map(String).join('.') ?? '';
    const extra = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more problem(s))` : '';
    throw new ConfigError(source, field, `${issue?.message ?? 'invalid'}${extra}`);
  }
  const config = result.data;
  return {
    ...config,
    dataDir: resolve(env['LIULIU_DATA_DIR'] ?? config.dataDir ?? defaultDataDir(env)),
    contentDir: resolve(config.contentDir ?? join(contentRoot(), 'hall')),
    source,
  };
}

/** The configuration `npm start` runs with when there is no config file: the demo with its developer panel on. */
export const EMBEDDED_DEMO_CONFIG = { developerMode: true } as const;
export const EMBEDDED_DEMO_SOURCE = 'embedded demo default (developer mode on)';

/**
 * Loads the config: an explicit file (--config or LIULIU_CONFIG) must exist;
 * otherwise `<dataDir>/config.json` is used when present, else the embedded
 * default. LIULIU_DATA_DIR always wins for the data directory.
 */
export function loadConfig(explicitFile?: string, env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  const file = explicitFile ?? env['LIULIU_CONFIG'];
  const candidate = file ?? join(defaultDataDir(env), 'config.json');
  // The embedded demo runs the simulators, so it turns the developer panel on explicitly (and the screen says so).
  if (file === undefined && !existsSync(candidate)) return parseConfig(EMBEDDED_DEMO_CONFIG, EMBEDDED_DEMO_SOURCE, env);
  let text: string;
  try {
    text = readFileSync(candidate, 'utf8');
  } catch (err) {
    throw new ConfigError(candidate, '', `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text) as unknown;
  } catch (err) {
    throw new ConfigError(candidate, '', `is not valid JSON (${(err as Error).message})`);
  }
  return parseConfig(raw, candidate, env);
}

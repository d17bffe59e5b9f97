import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { sha256Hex } from '../../../platform-contract/auth.js';
import { CONTENT_FILES, ContentVersion, contentPackageHash, type ContentBundle } from '../../../platform-contract/contract.js';
import { Hall, Intents, Services } from '../content/schema.js';

/**
 * Content packages downloaded from the platform, kept on the terminal as
 * `<dataDir>/content/<version>/` (the files exactly as published, plus
 * `.package.json` naming version and hash), with `<dataDir>/content/current`
 * naming the active version. Staging writes to a temporary directory and
 * renames it into place; the pointer file is replaced by rename too, so a
 * crash leaves either the old or the new state, never a half one. A package
 * that fails its hashes or its validation is refused and the current one stays.
 */
export interface StagedContent {
  version: string;
  sha256: string;
  dir: string;
}

/** Throws (with every problem in the message) when a staged directory is not a usable package. */
export type ContentValidator = (dir: string) => void;

export class ContentRefused extends Error {
  constructor(
    readonly version: string,
    readonly reason: string,
  ) {
    super(`content package ${version} refused: ${reason}`);
    this.name = 'ContentRefused';
  }
}

const Manifest = z.object({ version: ContentVersion, sha256: z.string().regex(/^[0-9a-f]{64}$/) });
const MANIFEST = '.package.json';
const POINTER = 'current';

/** Checks every file hash and the package hash; returns the decoded files or the reason they are refused. Pure. */
export function verifyBundle(bundle: ContentBundle): { ok: true; files: Map<string, Buffer> } | { ok: false; reason: string } {
  const files = new Map<string, Buffer>();
  for (const file of bundle.files) {
    if (files.has(file.path)) return { ok: false, reason: `${file.path} appears twice` };
    const bytes = Buffer.from(file.base64, 'base64');
    if (sha256Hex(bytes) !== file.sha256) return { ok: false, reason: `${file.path}: sha256 mismatch` };
    files.set(file.path, bytes);
  }
  const packageHash = contentPackageHash(files);
  if (packageHash === undefined) return { ok: false, reason: `a package needs ${CONTENT_FILES.join(', ')}` };
  if (packageHash !== bundle.sha256) return { ok: false, reason: 'package sha256 mismatch' };
  return { ok: true, files };
}

/** The default validator: the three files parse and match the content schemas. The host may pass one that also checks cross-file invariants. */
export const validateContentDir: ContentValidator = (dir) => {
  const problems: string[] = [];
  const schemas = { 'hall.json': Hall, 'services.json': Services, 'intents.json': Intents } as const;
  for (const name of CONTENT_FILES) {
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
      continue;
    }
    const result = schemas[name].safeParse(value);
    if (!result.success) problems.push(...result.error.issues.slice(0, 5).map((issue) => `${name}: ${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
};

function writeDurably(file: string, bytes: Buffer | string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncDir(dir: string): void {
  // Makes a rename durable; not every platform can open a directory, so best effort.
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* the rename itself is still atomic */
  }
}

export class ContentStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'content');
    mkdirSync(this.root, { recursive: true });
  }

  /** The active package, or null before the first activation. */
  current(): StagedContent | null {
    const pointer = this.readManifest(join(this.root, POINTER));
    return pointer === null ? null : this.staged(pointer.version);
  }

  /** A staged package by version, if its directory and manifest are there. */
  staged(version: string): StagedContent | null {
    if (!ContentVersion.safeParse(version).success) return null;
    const dir = join(this.root, version);
    const manifest = this.readManifest(join(dir, MANIFEST));
    return manifest === null || manifest.version !== version ? null : { version, sha256: manifest.sha256, dir };
  }

  /**
   * Verifies, writes and validates a package in a temporary directory, then
   * renames it to `<root>/<version>/`. Throws ContentRefused, leaving every
   * existing version untouched.
   */
  stage(bundle: ContentBundle, validate: ContentValidator): StagedContent {
    const existing = this.staged(bundle.version);
    if (existing?.sha256 === bundle.sha256) return existing;
    const verified = verifyBundle(bundle);
    if (!verified.ok) throw new ContentRefused(bundle.version, verified.reason);
    if (existing !== null && this.current()?.version === bundle.version) throw new ContentRefused(bundle.version, 'the active version cannot be replaced by different content under the same version');

    const staging = join(this.root, `.staging-${bundle.version}-${randomBytes(4).toString('hex')}`);
    try {
      for (const [path, bytes] of verified.files) writeDurably(join(staging, path), bytes);
      try {
        validate(staging);
      } catch (err) {
        throw new ContentRefused(bundle.version, err instanceof Error ? err.message : String(err));
      }
      writeDurably(join(staging, MANIFEST), JSON.stringify({ version: bundle.version, sha256: bundle.sha256 }));
      const target = join(this.root, bundle.version);
      if (existsSync(target)) rmSync(target, { recursive: true, force: true });
      renameSync(staging, target);
      syncDir(this.root);
      return { version: bundle.version, sha256: bundle.sha256, dir: target };
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }

  /** Makes a staged version the active one (atomic pointer swap). Call it between citizen sessions. */
  activate(version: string): StagedContent {
    const staged = this.staged(version);
    if (staged === null) throw new Error(`content version ${version} is not staged`);
    const temp = join(this.root, `.${POINTER}-${randomBytes(4).toString('hex')}`);
    writeDurably(temp, JSON.stringify({ version: staged.version, sha256: staged.sha256 }));
    renameSync(temp, join(this.root, POINTER));
    syncDir(this.root);
    return staged;
  }

  private readManifest(file: string): z.infer<typeof Manifest> | null {
    try {
      const parsed = Manifest.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }
}

import { ScanError } from './errors.js';
import type { DeviceCapabilities } from './parse.js';

/**
 * Scan requests and their translation into a `scanimage` argument array
 * (pure; spawned without a shell, so no quoting is involved).
 */
export type ColourMode = 'Color' | 'Gray' | 'Lineart';
export type PaperSource = 'flatbed' | 'adf';
export type OutputFormat = 'png' | 'jpeg' | 'tiff';

export interface ScanOptions {
  /** dpi; default 300. */
  resolution?: number;
  /** default Color. */
  mode?: ColourMode;
  /** default flatbed. `adf` scans every sheet in the feeder (up to maxPages) in one batch. */
  source?: PaperSource;
  /** ADF only: stop after this many pages (default: until the feeder is empty, at most 50). */
  maxPages?: number;
  /** Scan area in mm; default A4 portrait (210 × 297). */
  area?: { widthMm: number; heightMm: number };
  /** File format scanimage writes; default png (lossless, parsed by sharp). */
  format?: OutputFormat;
}

export const A4_MM = { widthMm: 210, heightMm: 297 } as const;
/** Guard against a feeder that never reports empty (the test backend stops after 10). */
export const MAX_ADF_PAGES = 50;
const BATCH_START = 1;

export interface ResolvedScan {
  resolution: number;
  mode: ColourMode;
  source: PaperSource;
  maxPages: number;
  area: { widthMm: number; heightMm: number };
  format: OutputFormat;
}

export function resolveScanOptions(options: ScanOptions): ResolvedScan {
  const resolution = options.resolution ?? 300;
  if (!Number.isInteger(resolution) || resolution < 1 || resolution > 9600) throw new ScanError('invalid-options', `resolution ${String(resolution)} is not a dpi value`);
  const area = options.area ?? A4_MM;
  if (!(area.widthMm > 0 && area.heightMm > 0 && area.widthMm < 2000 && area.heightMm < 2000)) throw new ScanError('invalid-options', `scan area ${String(area.widthMm)}×${String(area.heightMm)} mm is not a page`);
  const source = options.source ?? 'flatbed';
  const maxPages = source === 'adf' ? (options.maxPages ?? MAX_ADF_PAGES) : 1;
  if (!Number.isInteger(maxPages) || maxPages < 1 || maxPages > MAX_ADF_PAGES) throw new ScanError('invalid-options', `maxPages ${String(options.maxPages)} outside 1..${MAX_ADF_PAGES}`);
  return { resolution, mode: options.mode ?? 'Color', source, maxPages, area, format: options.format ?? 'png' };
}

/**
 * The backend-specific spellings for a request: mode and source names differ
 * per backend (`Lineart` vs `Gray` + depth 1 on the test backend; `ADF`,
 * `ADF Front`, `Automatic Document Feeder`), so they are looked up in the
 * device's own option list.
 */
export function backendOptionArgs(scan: ResolvedScan, capabilities: DeviceCapabilities): string[] {
  const args: string[] = [];
  const { modes, sources, depths } = capabilities;
  if (modes.length === 0) {
    args.push('--mode', scan.mode);
  } else {
    const wanted = findName(modes, scan.mode === 'Lineart' ? /^(lineart|binary|black ?& ?white)/i : scan.mode === 'Gray' ? /^(gray|grey)/i : /^colou?r/i);
    if (wanted !== undefined) args.push('--mode', wanted);
    else if (scan.mode === 'Lineart' && depths.includes(1)) {
      const gray = findName(modes, /^(gray|grey)/i);
      if (gray === undefined) throw new ScanError('invalid-options', `device offers no Lineart or Gray mode (${modes.join('|')})`);
      args.push('--mode', gray, '--depth', '1');
    } else throw new ScanError('invalid-options', `device offers no ${scan.mode} mode (${modes.join('|')})`);
  }
  if (sources.length > 0) {
    const source = findName(sources, scan.source === 'adf' ? /(feeder|adf)/i : /flatbed/i);
    if (source === undefined) throw new ScanError('invalid-options', `device has no ${scan.source} source (${sources.join('|')})`);
    args.push('--source', source);
  } else if (scan.source === 'adf') {
    throw new ScanError('invalid-options', 'device has no document feeder');
  }
  return args;
}

function findName(names: readonly string[], pattern: RegExp): string | undefined {
  return names.find((name) => pattern.test(name));
}

/** Files of a batch are named page0001.<ext>, page0002.<ext>, … inside the job directory. */
export function batchPattern(format: OutputFormat): string {
  return `page%04d.${format === 'jpeg' ? 'jpg' : format}`;
}

export function singlePageName(format: OutputFormat): string {
  return `page0001.${format === 'jpeg' ? 'jpg' : format}`;
}

/** Page number (1-based) from a file name written by {@link batchPattern}; null for anything else. */
export function pageNumberOfFile(fileName: string): number | null {
  const match = /^page(\d{4,})\.(png|jpg|tiff)$/.exec(fileName);
  return match ? Number(match[1]) - BATCH_START + 1 : null;
}

/**
 * Complete argument array: device, explicit format, resolution, mode/source,
 * geometry, progress, output (a file for flatbed, a batch pattern for ADF),
 * then any extra backend options (test faults, vendor tweaks).
 */
export function buildScanArgs(device: string, scan: ResolvedScan, capabilities: DeviceCapabilities, jobDir: string, extraArgs: readonly string[]): string[] {
  const args = ['-d', device, `--format=${scan.format}`, '--resolution', String(scan.resolution), ...backendOptionArgs(scan, capabilities)];
  args.push('-l', '0', '-t', '0', '-x', String(scan.area.widthMm), '-y', String(scan.area.heightMm), '-p');
  if (scan.source === 'adf') {
    args.push(`--batch=${jobDir}/${batchPattern(scan.format)}`, `--batch-start=${BATCH_START}`, `--batch-count=${scan.maxPages}`);
  } else {
    args.push('-o', `${jobDir}/${singlePageName(scan.format)}`);
  }
  args.push(...extraArgs);
  return args;
}

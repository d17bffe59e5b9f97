/**
 * Pure parsers for what `scanimage` prints: the `-f` device list, the `-A`
 * option list (capabilities), the stderr stream during a scan, and image
 * headers of the written files. Messages are parsed in the C locale: the
 * driver runs scanimage with LC_ALL=C because sane-backends ships
 * translations that would change these texts.
 */

export interface DiscoveredDevice {
  name: string;
  vendor: string;
  model: string;
  type: string;
  index: number;
}

/** The argument that makes `scanimage -f` print lines {@link parseDeviceList} reads. */
export const DEVICE_LIST_FORMAT = '%d|%v|%m|%t|%i%n';

/** Lines `test:0|Noname|frontend-tester|virtual device|0`; malformed lines are skipped. */
export function parseDeviceList(stdout: string): DiscoveredDevice[] {
  const devices: DiscoveredDevice[] = [];
  for (const line of stdout.split('\n')) {
    const fields = line.trim().split('|');
    if (fields.length !== 5) continue;
    const [name = '', vendor = '', model = '', type = '', index = ''] = fields;
    if (name === '' || !/^\d+$/.test(index)) continue;
    devices.push({ name, vendor, model, type, index: Number(index) });
  }
  return devices;
}

export interface NumericRange {
  min: number;
  max: number;
}

/** What one device offers, read from `scanimage -d DEV -A`. Absent = the backend has no such option. */
export interface DeviceCapabilities {
  modes: string[];
  sources: string[];
  depths: number[];
  resolution?: NumericRange;
  /** Scan-area limits in mm (`-x` / `-y`). */
  width?: NumericRange;
  height?: NumericRange;
}

/**
 * Reads the option lines of `-A`, e.g. `    --mode Gray|Color [Gray]`,
 * `    --resolution 1..1200dpi (in steps of 1) [50]`, `    -x 0..200mm (in steps of 1) [80]`.
 */
export function parseCapabilities(stdout: string): DeviceCapabilities {
  const capabilities: DeviceCapabilities = { modes: [], sources: [], depths: [] };
  for (const line of stdout.split('\n')) {
    const match = /^\s+(--[\w-]+|-[a-z])[ =](.+?)(?:\s+\[[^\]]*\])?\s*$/.exec(line);
    if (!match) continue;
    const [, option = '', value = ''] = match;
    switch (option) {
      case '--mode':
        capabilities.modes = splitList(value);
        break;
      case '--source':
        capabilities.sources = splitList(value);
        break;
      case '--depth':
        capabilities.depths = splitList(value).map(Number).filter(Number.isFinite);
        break;
      case '--resolution': {
        const range = parseRange(value);
        if (range) capabilities.resolution = range;
        else {
          // Some backends list discrete values: 75|150|300|600dpi
          const values = splitList(value.replace(/dpi$/, '')).map(Number).filter(Number.isFinite);
          if (values.length > 0) capabilities.resolution = { min: Math.min(...values), max: Math.max(...values) };
        }
        break;
      }
      case '-x': {
        const range = parseRange(value);
        if (range) capabilities.width = range;
        break;
      }
      case '-y': {
        const range = parseRange(value);
        if (range) capabilities.height = range;
        break;
      }
      default:
        break;
    }
  }
  return capabilities;
}

function splitList(value: string): string[] {
  return value
    .split('|')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function parseRange(value: string): NumericRange | undefined {
  const match = /^(-?\d+(?:\.\d+)?)\.\.(-?\d+(?:\.\d+)?)/.exec(value);
  if (!match) return undefined;
  return { min: Number(match[1]), max: Number(match[2]) };
}

/** A value scanimage clamped instead of rejecting (spec §3): `rounded value of br-x from 210 to 200`. */
export interface RoundedValue {
  option: string;
  from: number;
  to: number;
}

export type StderrEvent =
  | { kind: 'progress'; percent: number }
  | { kind: 'page-start'; page: number }
  | { kind: 'rounded'; value: RoundedValue }
  | { kind: 'message'; text: string };

/**
 * Incremental stderr reader: progress arrives as `Progress: 12.3%` separated
 * by `\r`, everything else as `\n`-terminated lines, and chunks split either
 * anywhere. Feed chunks, get events; `end()` flushes a trailing partial line.
 */
export class StderrParser {
  private pending = '';

  feed(chunk: string): StderrEvent[] {
    this.pending += chunk;
    const parts = this.pending.split(/[\r\n]/);
    this.pending = parts.pop() ?? '';
    return parts.flatMap((line) => parseStderrLine(line));
  }

  end(): StderrEvent[] {
    const rest = this.pending;
    this.pending = '';
    return parseStderrLine(rest);
  }
}

export function parseStderrLine(raw: string): StderrEvent[] {
  const line = raw.trim();
  if (line === '') return [];
  const progress = /^Progress:\s*(\d+(?:\.\d+)?)%$/.exec(line);
  if (progress) return [{ kind: 'progress', percent: Math.min(100, Number(progress[1])) }];
  const page = /^Scanning page (\d+)$/.exec(line);
  if (page) return [{ kind: 'page-start', page: Number(page[1]) }];
  const rounded = /rounded value of (\S+) from (-?\d+(?:\.\d+)?) to (-?\d+(?:\.\d+)?)/.exec(line);
  if (rounded) return [{ kind: 'rounded', value: { option: rounded[1] ?? '', from: Number(rounded[2]), to: Number(rounded[3]) } }];
  return [{ kind: 'message', text: line.replace(/^scanimage: /, '') }];
}

export type ImageFormat = 'png' | 'jpeg' | 'tiff' | 'pnm';

/** Recognises the formats scanimage writes by their magic bytes; null = not a usable image. */
export function detectImageFormat(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47 && bytes[4] === 0x0d && bytes[5] === 0x0a && bytes[6] === 0x1a && bytes[7] === 0x0a) {
    return 'png';
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 4 && ((bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 0x2a && bytes[3] === 0x00) || (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0x00 && bytes[3] === 0x2a))) {
    return 'tiff';
  }
  if (bytes.length >= 3 && bytes[0] === 0x50 && bytes[1] !== undefined && bytes[1] >= 0x31 && bytes[1] <= 0x36 && /\s/.test(String.fromCharCode(bytes[2] ?? 0))) return 'pnm';
  return null;
}

import { describe, expect, it } from 'vitest';
import { buildScanArgs, pageNumberOfFile, resolveScanOptions } from './args.js';
import { ScanError, classifyFinishedScan } from './errors.js';
import { StderrParser, detectImageFormat, parseCapabilities, parseDeviceList } from './parse.js';

// Texts below are scanimage output recorded in spec scanner-sane.md (§2–§6).
const TEST_BACKEND_OPTIONS = `
All options specific to device \`test:0':
  Scan Mode:
    --mode Gray|Color [Gray]
        Selects the scan mode (e.g., lineart, monochrome, or color).
    --depth 1|8|16 [8]
    --hand-scanner[=(yes|no)] [no]
    --resolution 1..1200dpi (in steps of 1) [0.000762939]
    --source Flatbed|Automatic Document Feeder [Flatbed]
  Geometry:
    -l 0..200mm (in steps of 1) [0]
    -t 0..200mm (in steps of 1) [0]
    -x 0..200mm (in steps of 1) [80]
    -y 0..200mm (in steps of 1) [100]
`;

describe('parseDeviceList', () => {
  it('reads the -f format and skips malformed lines', () => {
    const devices = parseDeviceList('test:0|Noname|frontend-tester|virtual device|0\ngarbage\ntest:1|Noname|frontend-tester|virtual device|1\n|a|b|c|2\n');
    expect(devices).toEqual([
      { name: 'test:0', vendor: 'Noname', model: 'frontend-tester', type: 'virtual device', index: 0 },
      { name: 'test:1', vendor: 'Noname', model: 'frontend-tester', type: 'virtual device', index: 1 },
    ]);
  });
});

describe('parseCapabilities', () => {
  it('reads modes, sources, depths and ranges', () => {
    expect(parseCapabilities(TEST_BACKEND_OPTIONS)).toEqual({
      modes: ['Gray', 'Color'],
      sources: ['Flatbed', 'Automatic Document Feeder'],
      depths: [1, 8, 16],
      resolution: { min: 1, max: 1200 },
      width: { min: 0, max: 200 },
      height: { min: 0, max: 200 },
    });
  });

  it('reads a discrete resolution list', () => {
    expect(parseCapabilities('    --resolution 75|150|300|600dpi [75]\n').resolution).toEqual({ min: 75, max: 600 });
  });
});

describe('StderrParser', () => {
  const stderr = 'Scanning page 2\nProgress: 0.2%\rProgress: 55.5%\rProgress: 100.0%\rscanimage: rounded value of br-x from 210 to 200\nscanimage: sane_read: Document feeder jammed\n';

  it('gives the same events whatever the chunk boundaries', () => {
    const whole = new StderrParser().feed(stderr);
    for (let cut = 1; cut < stderr.length; cut += 1) {
      const parser = new StderrParser();
      const events = [...parser.feed(stderr.slice(0, cut)), ...parser.feed(stderr.slice(cut)), ...parser.end()];
      expect(events).toEqual(whole);
    }
    expect(whole).toEqual([
      { kind: 'page-start', page: 2 },
      { kind: 'progress', percent: 0.2 },
      { kind: 'progress', percent: 55.5 },
      { kind: 'progress', percent: 100 },
      { kind: 'rounded', value: { option: 'br-x', from: 210, to: 200 } },
      { kind: 'message', text: 'sane_read: Document feeder jammed' },
    ]);
  });

  it('flushes a trailing line without newline on end()', () => {
    const parser = new StderrParser();
    expect(parser.feed('Progress: 12.0%')).toEqual([]);
    expect(parser.end()).toEqual([{ kind: 'progress', percent: 12 }]);
  });
});

describe('classifyFinishedScan', () => {
  const run = (exitCode: number | null, messages: string[] = [], extra: { signal?: NodeJS.Signals; stoppedBecause?: 'timeout' | 'cancel' | 'stuck' } = {}): ScanError | null =>
    classifyFinishedScan({ exitCode, signal: extra.signal ?? null, messages, ...(extra.stoppedBecause ? { stoppedBecause: extra.stoppedBecause } : {}) });

  it('maps the SANE status exit codes of spec §5', () => {
    expect(run(0)).toBeNull();
    expect(run(2)?.code).toBe('cancelled');
    expect(run(3)?.code).toBe('busy');
    expect(run(4)?.code).toBe('invalid-options');
    expect(run(6)?.code).toBe('jammed');
    expect(run(7)?.code).toBe('no-documents');
    expect(run(8)?.code).toBe('cover-open');
    expect(run(9)?.code).toBe('io-error');
    expect(run(10)?.code).toBe('io-error');
    expect(run(11)?.code).toBe('access-denied');
    expect(run(134)?.code).toBe('io-error');
  });

  it('tells the causes of exit 1 apart by message', () => {
    expect(run(1, ['open of device nosuch:0 failed: Invalid argument'])?.code).toBe('no-scanner');
    expect(run(1, ['setting of option --mode failed (Invalid argument)'])?.code).toBe('invalid-options');
    expect(run(1, ["Unknown output image format 'bmp'."])?.code).toBe('invalid-options');
    expect(run(1, ['sane_read: Operation not supported'])?.code).toBe('io-error');
  });

  it('lets the driver’s own stop decide, and treats a signal death as a fault', () => {
    expect(run(9, [], { stoppedBecause: 'timeout' })?.code).toBe('timeout');
    expect(run(9, [], { stoppedBecause: 'cancel' })?.code).toBe('cancelled');
    expect(run(null, [], { signal: 'SIGKILL' })?.code).toBe('io-error');
    // Stopped because it hung after printing a failure: the printed status decides.
    expect(run(null, ['sane_read: Scanner cover is open', 'received signal 2'], { signal: 'SIGKILL', stoppedBecause: 'stuck' })?.code).toBe('cover-open');
  });

  it('does not take an "aborting" exit 0 for success, and names the status from the message', () => {
    expect(run(0, ['sane_read: Scanner cover is open', 'received signal 13', 'trying to stop scanner', 'received signal 13', 'aborting'])?.code).toBe('cover-open');
    expect(run(0, ['received signal 13', 'aborting'])?.code).toBe('io-error');
    expect(run(0, ['Scanning page 1', 'Scanned page 1. (scanner status = 5)'])).toBeNull();
  });

  it('carries the Chinese user message and a technical detail', () => {
    const error = run(null, ['received signal 2'], { signal: 'SIGABRT' });
    expect(error?.userMessage).toBe('扫描仪故障，请联系工作人员');
    expect(error?.detail).toContain('SIGABRT');
    expect(run(1, ['open of device x failed'])?.userMessage).toBe('未检测到扫描仪，请联系工作人员');
  });
});

describe('buildScanArgs', () => {
  const caps = parseCapabilities(TEST_BACKEND_OPTIONS);

  it('builds a flatbed A4 colour scan to a file', () => {
    const args = buildScanArgs('test:0', resolveScanOptions({}), caps, '/tmp/job', ['--test-picture', 'Grid']);
    expect(args).toEqual(['-d', 'test:0', '--format=png', '--resolution', '300', '--mode', 'Color', '--source', 'Flatbed', '-l', '0', '-t', '0', '-x', '210', '-y', '297', '-p', '-o', '/tmp/job/page0001.png', '--test-picture', 'Grid']);
  });

  it('uses Gray + depth 1 for Lineart when the backend has no Lineart mode, and a batch for the feeder', () => {
    const args = buildScanArgs('test:0', resolveScanOptions({ mode: 'Lineart', source: 'adf', maxPages: 3, format: 'jpeg' }), caps, '/j', []);
    expect(args).toContain('--depth');
    expect(args.slice(args.indexOf('--mode'), args.indexOf('--mode') + 4)).toEqual(['--mode', 'Gray', '--depth', '1']);
    expect(args).toContain('Automatic Document Feeder');
    expect(args).toContain('--batch=/j/page%04d.jpg');
    expect(args).toContain('--batch-count=3');
    expect(args).not.toContain('-o');
  });

  it('refuses what the device cannot do, and nonsense requests', () => {
    expect(() => buildScanArgs('x', resolveScanOptions({ source: 'adf' }), { modes: ['Color'], sources: ['Flatbed'], depths: [] }, '/j', [])).toThrow(ScanError);
    expect(() => resolveScanOptions({ resolution: 0 })).toThrow(/resolution/);
    expect(() => resolveScanOptions({ source: 'adf', maxPages: 500 })).toThrow(/maxPages/);
  });

  it('numbers batch files back to pages', () => {
    expect(pageNumberOfFile('page0003.png')).toBe(3);
    expect(pageNumberOfFile('page0001.jpg')).toBe(1);
    expect(pageNumberOfFile('other.png')).toBeNull();
  });
});

describe('detectImageFormat', () => {
  it('recognises the headers scanimage writes and rejects the rest', () => {
    expect(detectImageFormat(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('png');
    expect(detectImageFormat(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(detectImageFormat(Buffer.from('II*\0'))).toBe('tiff');
    expect(detectImageFormat(Buffer.from('P5\n157 196\n255\n'))).toBe('pnm');
    expect(detectImageFormat(Buffer.alloc(0))).toBeNull();
    expect(detectImageFormat(Buffer.from('hello'))).toBeNull();
  });
});

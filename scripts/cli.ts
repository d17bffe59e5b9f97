/** Tiny flag parser shared by the kiosk's command-line entry points. */
export function parseFlags(argv: readonly string[]): { flags: Set<string>; values: Map<string, string> } {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    if (eq > 0) values.set(arg.slice(2, eq), arg.slice(eq + 1));
    else if (i + 1 < argv.length && !(argv[i + 1] ?? '').startsWith('--')) values.set(arg.slice(2), argv[++i] ?? '');
    else flags.add(arg.slice(2));
  }
  return { flags, values };
}

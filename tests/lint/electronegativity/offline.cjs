// Preloaded into the electronegativity run (tests/lint/electronegativity.test.ts).
// electronegativity fetches its locale file and Electron's release list with
// got@11 at start. This machine (and a hall's CI) has no internet, so got
// retries; on Node 24 the retry of got@11 throws "The `onCancel` handler was
// attached after the promise settled" from a timer (a known got 11 / newer
// Node timing incompatibility), which would end the scan before it reads one
// file. That one error is ignored here; the scan falls back to its bundled
// English locale and skips the online release check, and any other error
// still ends the run and fails the test.
// got's own network errors (no DNS here) surface the same way and mean the same: offline.
const offline = (error) =>
  error instanceof Error && (error.message.includes('The `onCancel` handler was attached after the promise settled') || error.name === 'RequestError' || error.name === 'TimeoutError');
process.on('unhandledRejection', (error) => {
  if (offline(error)) return;
  console.error(error);
  process.exit(70);
});
process.on('uncaughtException', (error) => {
  if (offline(error)) return;
  console.error(error);
  process.exit(70);
});

// Refuses to run the product or its tests on a Node.js that no longer gets
// security fixes. `npm run setup` installs the LTS into .runtime/ where the
// system's is older; put it first on PATH.
const MINIMUM_MAJOR = 24;
const major = Number(process.versions.node.split('.')[0]);
if (major < MINIMUM_MAJOR) {
  console.error(`Node.js ${process.versions.node} is end of life: Liuliu runs on Node ${MINIMUM_MAJOR} LTS or newer.`);
  console.error('Run `npm run setup` (it installs one into .runtime/), then: export PATH="$PWD/.runtime/bin:$PATH"');
  process.exit(1);
}

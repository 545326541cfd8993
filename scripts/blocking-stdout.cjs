// Loaded into every test file's process (scripts/run-suite.sh). Each file reports its results to the runner over
// its stdout, a pipe, and --test-force-exit ends the process without draining it: the tail of a file's results
// could be lost without a word, and the counts with it (nodejs/node#64833). Blocking writes cannot be lost.
const handle = process.stdout._handle;
if (handle && typeof handle.setBlocking === 'function') handle.setBlocking(true);

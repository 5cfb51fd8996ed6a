// Prints the run's outcome as one plain closing line ("tests: N passed, N failed, N skipped"),
// which CI reads whatever the runner's own format is. Printed as the process exits, after
// Jest's own summary, so it is the last line of the run.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `tests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`;
    process.once('exit', () => process.stderr.write(line));
  }
}
module.exports = SummaryReporter;

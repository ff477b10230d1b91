// Merges the JSON reports of the test runs (scripts/test.sh) into one, and prints its totals.
// Usage: node merge-test-results.mjs <out.json> <report.json>...
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const [out, ...inputs] = process.argv.slice(2);
const reports = inputs.filter((f) => existsSync(f)).map((f) => JSON.parse(readFileSync(f, 'utf8')));
if (reports.length === 0) {
  console.error('no test report was written');
  process.exit(1);
}
const sum = (key) => reports.reduce((n, r) => n + (r[key] ?? 0), 0);
const counts = [
  'numTotalTestSuites',
  'numPassedTestSuites',
  'numFailedTestSuites',
  'numPendingTestSuites',
  'numTotalTests',
  'numPassedTests',
  'numFailedTests',
  'numPendingTests',
  'numTodoTests',
];
const merged = {
  ...Object.fromEntries(counts.map((k) => [k, sum(k)])),
  startTime: Math.min(...reports.map((r) => r.startTime)),
  success: reports.every((r) => r.success),
  testResults: reports.flatMap((r) => r.testResults),
};
writeFileSync(out, JSON.stringify(merged));
console.log(
  `tests: ${merged.numPassedTests} passed, ${merged.numFailedTests} failed, ${merged.numPendingTests + merged.numTodoTests} skipped`,
);
process.exit(merged.success ? 0 : 1);

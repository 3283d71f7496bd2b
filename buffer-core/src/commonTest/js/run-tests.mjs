// Runs buffer-core's common tests, compiled by Kotlin/JS into one ES module, on Node.
// kotlin-test uses a Jasmine-like framework when `describe` and `it` are global functions; these are
// the smallest such functions: every test runs, each failure is printed with its stack, and the
// process exits non-zero if any test failed or none ran.
//
// usage: node run-tests.mjs <compiled tests .mjs> <report file>
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [testModule, report] = process.argv.slice(2);
if (!testModule || !report) {
  console.error('usage: node run-tests.mjs <compiled tests .mjs> <report file>');
  process.exit(2);
}

const path = [];
const results = { passed: [], failed: [], ignored: [] };

globalThis.describe = (name, body) => {
  path.push(name);
  try {
    body();
  } finally {
    path.pop();
  }
};
globalThis.xdescribe = (name) => results.ignored.push([...path, name].join(' > '));
globalThis.it = (name, body) => {
  const full = [...path, name].join(' > ');
  try {
    const result = body();
    if (result && typeof result.then === 'function') {
      throw new Error('asynchronous tests are not supported by this runner');
    }
    results.passed.push(full);
  } catch (e) {
    results.failed.push(full);
    console.error(`FAILED ${full}\n${(e && e.stack) || e}`);
  }
};
globalThis.xit = (name) => results.ignored.push([...path, name].join(' > '));

// The compiled module runs its suites when it is loaded.
await import(pathToFileURL(testModule).href);

const summary = `Node ${process.version}: ${results.passed.length} passed, ${results.failed.length} failed, ${results.ignored.length} ignored`;
writeFileSync(report, JSON.stringify({ summary, ...results }, null, 2) + '\n');
console.log(summary);
if (results.failed.length > 0 || results.passed.length === 0) {
  process.exit(1);
}

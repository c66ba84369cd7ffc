import type { Reporter, TestModule } from 'vitest/node';

/**
 * CI reads a plain "N passed, N failed" line (quality.md §1); Vitest's own summary is not parsed. CI shows only the
 * tail of the output, so every failed test (and every test that passed only on a retry) is named right above that
 * line, one `FAILED`/`FLAKY` line each, where scripts/run-tests.ts collects them for the final summary.
 */
export class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    const named: string[] = [];
    for (const module of testModules) {
      const where = `[${module.project.name}] ${module.relativeModuleId}`;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') {
          passed += 1;
          const retries = test.diagnostic()?.retryCount ?? 0;
          if (retries > 0) named.push(`FLAKY ${where} › ${test.fullName} (passed on retry ${retries})`);
        } else if (state === 'failed') {
          failed += 1;
          named.push(`FAILED ${where} › ${test.fullName}`);
        }
      }
      if (module.state() === 'failed' && module.children.size === 0) {
        failed += 1;
        named.push(`FAILED ${where} (the file did not load)`);
      }
    }
    process.stdout.write(`\n${named.map((line) => `${line}\n`).join('')}${passed} passed, ${failed} failed\n`);
  }
}

export default SummaryReporter;

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `npm test`: Vitest (unit, API on PGlite and PostgreSQL, web components), then the end-to-end suite in Chromium
 * (tests/e2e). Ends with ONE plain "N passed, N failed" line summing both (quality.md §1) and exits non-zero when
 * anything failed.
 *
 * - Arguments go to Vitest (`npm test -- tests/unit/web`); the browser suite still runs unless `SKIP_E2E=1`.
 * - Without Chromium the browser suite is skipped with a notice, except on CI (`CI` set), where that counts as a
 *   failure so it cannot go unnoticed.
 */

const root = resolve(import.meta.dirname, '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SUMMARY = /^(\d+) passed, (\d+) failed\s*$/;

interface Tally {
  passed: number;
  failed: number;
  /** `FAILED …` / `FLAKY …` lines naming the tests, repeated above the final line because CI shows only the tail. */
  named: string[];
}

const NAMED = /^(FAILED|FLAKY) /;

/** Runs a command with the terminal's stdio, keeping a copy of stdout to read the summary line from. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['inherit', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      process.stdout.write(chunk);
    });
    child.on('error', (error) => {
      process.stderr.write(`${command}: ${error.message}\n`);
      done({ code: 1, stdout });
    });
    child.on('close', (code, signal) => done({ code: code ?? (signal ? 1 : 0), stdout }));
  });
}

async function vitest(args: string[]): Promise<Tally> {
  const { code, stdout } = await run(bin('vitest'), ['run', ...args]);
  const lines = stdout.split('\n').map((text) => text.replace(/\x1b\[[0-9;]*m/g, ''));
  const line = [...lines]
    .reverse()
    .map((text) => SUMMARY.exec(text))
    .find((match) => match !== null);
  if (!line) return { passed: 0, failed: 1, named: ['FAILED Vitest printed no summary (see its output above)'] };
  const tally = { passed: Number(line[1]), failed: Number(line[2]), named: lines.filter((text) => NAMED.test(text)) };
  // A run that failed outside any test (a crashed worker, an unhandled error) still fails the whole.
  if (code !== 0 && tally.failed === 0) {
    tally.failed = 1;
    tally.named.push(`FAILED Vitest exited with ${code} outside any test (an unhandled error or a crashed worker; see above)`);
  }
  return tally;
}

/** The parts of Playwright's JSON report read here. */
interface PlaywrightReport {
  stats?: { expected?: number; unexpected?: number; flaky?: number };
  errors?: { message?: string }[];
  suites?: PlaywrightSuite[];
}
interface PlaywrightSuite {
  title: string;
  file?: string;
  suites?: PlaywrightSuite[];
  specs?: { title: string; line: number; tests: { status: string }[] }[];
}

/** `FAILED`/`FLAKY` lines for the browser tests that failed or passed only on a retry. */
function namedBrowserTests(suites: PlaywrightSuite[], path: string[] = []): string[] {
  return suites.flatMap((suite) => {
    const titles = suite.file === suite.title ? path : [...path, suite.title];
    const file = suite.file ?? '';
    const own = (suite.specs ?? []).flatMap((spec) =>
      spec.tests.flatMap((test) => {
        const name = `[e2e] ${file}:${spec.line} › ${[...titles, spec.title].join(' › ')}`;
        if (test.status === 'unexpected') return [`FAILED ${name}`];
        if (test.status === 'flaky') return [`FLAKY ${name} (passed on retry)`];
        return [];
      }),
    );
    return [...own, ...namedBrowserTests(suite.suites ?? [], titles)];
  });
}

async function e2e(): Promise<Tally> {
  if (process.env.SKIP_E2E === '1') {
    process.stdout.write('\nEnd-to-end tests skipped (SKIP_E2E=1).\n');
    return { passed: 0, failed: 0, named: [] };
  }
  if (!existsSync(chromium)) {
    if (process.env.CI) {
      const reason = `End-to-end tests cannot run: no Chromium at ${chromium} (install it with: apt-get install -y chromium).`;
      return { passed: 0, failed: 1, named: [`FAILED ${reason}`] };
    }
    process.stdout.write(
      `\nEnd-to-end tests skipped: no Chromium at ${chromium}. Install it with \`apt-get install -y chromium\` ` +
        '(or set CHROMIUM_PATH) to run them.\n',
    );
    return { passed: 0, failed: 0, named: [] };
  }
  process.stdout.write('\nEnd-to-end tests (Chromium)\n');
  const dir = mkdtempSync(join(tmpdir(), 'chitchats-e2e-report-'));
  const report = join(dir, 'report.json');
  try {
    const { code } = await run(bin('playwright'), ['test', '-c', 'tests/e2e'], { ...process.env, E2E_JSON: report });
    if (!existsSync(report)) return { passed: 0, failed: 1, named: ['FAILED Playwright wrote no report (see its output above)'] };
    const parsed = JSON.parse(readFileSync(report, 'utf8')) as PlaywrightReport;
    const stats = parsed.stats ?? {};
    const errors = (parsed.errors ?? []).map((error) => `FAILED [e2e] ${(error.message ?? 'an error outside any test').split('\n')[0]}`);
    const tally = {
      passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
      failed: (stats.unexpected ?? 0) + errors.length,
      named: [...namedBrowserTests(parsed.suites ?? []), ...errors],
    };
    if (code !== 0 && tally.failed === 0) {
      tally.failed = 1;
      tally.named.push(`FAILED Playwright exited with ${code} outside any test (see above)`);
    }
    return tally;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const unit = await vitest(process.argv.slice(2));
const browser = await e2e();
const total = { passed: unit.passed + browser.passed, failed: unit.failed + browser.failed };
const named = [...unit.named, ...browser.named];
process.stdout.write(`\n${named.map((line) => `${line}\n`).join('')}${total.passed} passed, ${total.failed} failed\n`);
process.exit(total.failed > 0 ? 1 : 0);

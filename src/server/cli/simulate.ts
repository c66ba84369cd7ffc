import { parseSimulateArgs, USAGE } from './simulate-args.js';
import { runSimulation } from './simulate-run.js';

/**
 * `npm run simulate -- --topic "<scenario>" --agents Mira,Tobin [options]` (behavior.md §10.1): runs a
 * simulation against a running server over its HTTP API. This file only wires the process (argv, environment,
 * terminals, signals, exit code); the work is in simulate-run.ts.
 *
 * Ctrl-C (or SIGTERM) stops the simulation like a stop condition: the room is paused and the transcript written,
 * then the process exits with 130 (143 for SIGTERM). A second signal exits at once (docs/decisions.md).
 */

async function main(argv: string[]): Promise<number> {
  const parsed = parseSimulateArgs(argv, { env: process.env, cwd: process.cwd() });
  if (parsed.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (parsed.kind === 'usage_error') {
    process.stderr.write(`Error: ${parsed.message}. Run with --help for usage.\n`);
    return 1;
  }

  const interrupt = new AbortController();
  let received: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received !== null) process.exit(signal === 'SIGTERM' ? 143 : 130);
    received = signal;
    process.stderr.write('\nStopping: pausing the room and writing the transcript (press Ctrl-C again to quit at once).\n');
    interrupt.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const stdoutIsTty = process.stdout.isTTY === true;
  const code = await runSimulation(parsed.options, {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stdoutIsTty,
    stderrIsTty: process.stderr.isTTY === true,
    color: stdoutIsTty && (process.env.NO_COLOR ?? '') === '',
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    interrupt: interrupt.signal,
  });
  return code === 130 && received === 'SIGTERM' ? 143 : code;
}

main(process.argv.slice(2)).then(
  // Exit once stdout has drained, so a piped transcript is complete; open keep-alive sockets must not hold us.
  (code) => void process.stdout.write('', () => process.exit(code)),
  (err: unknown) => {
    process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(3);
  },
);

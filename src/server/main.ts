import pino from 'pino';
import { StartupError } from './auth/auth-state.js';
import { composeServer } from './compose.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import { loadSettings, readEnvironment, SettingsError } from './settings.js';

/** Process entry: settings, logger, the composed server, listening, and a bounded graceful shutdown. */
async function main(): Promise<void> {
  let settings;
  try {
    settings = loadSettings(readEnvironment(process.env, process.cwd()));
  } catch (err) {
    if (err instanceof SettingsError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = pino({
    level: settings.logLevel,
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', 'password', 'api_key', '*.password'],
      censor: '[redacted]',
    },
  });

  const startedAt = performance.now();
  let server;
  try {
    server = await composeServer({ settings, log, announce: (text) => process.stdout.write(`${text}\n`) });
  } catch (err) {
    if (err instanceof StartupError || err instanceof DataDirLockedError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    log.fatal({ err }, 'startup failed');
    process.exit(1);
  }

  await server.app.listen({ port: settings.port, host: settings.host });
  log.info(
    { port: settings.port, host: settings.host, database: server.database.kind, startup_ms: Math.round(performance.now() - startedAt) },
    'ChitChats is ready',
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    // behavior.md §5.18: a second signal means "now".
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal }, 'shutting down');
    server.beginShutdown();
    const deadline = setTimeout(() => {
      log.warn('shutdown took too long; exiting');
      process.exit(1);
    }, settings.shutdownGraceMs);
    deadline.unref();
    server
      .close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

void main();

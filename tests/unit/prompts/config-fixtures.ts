import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { createPromptConfig } from '../../../src/server/prompts/prompt-config.js';
import type { PromptConfig } from '../../../src/server/prompts/prompt-config.js';
import { createYamlStore } from '../../../src/server/prompts/yaml-store.js';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface CapturedLog {
  log: Logger;
  lines: LogLine[];
  warnings(): LogLine[];
}

/** A real pino logger writing into an array, so tests assert on the exact log records. */
export function captureLog(): CapturedLog {
  const lines: LogLine[] = [];
  const log = pino(
    { level: 'debug', base: undefined, timestamp: false },
    {
      write(chunk: string) {
        lines.push(JSON.parse(chunk) as LogLine);
      },
    },
  );
  return { log, lines, warnings: () => lines.filter((line) => line.level === 40) };
}

export interface ConfigFixture {
  dir: string;
  write(file: string, text: string): void;
  open(options?: { guidelinesFile?: string }): { config: PromptConfig } & CapturedLog;
  cleanup(): void;
}

let mtimeSeconds = 1_900_000_000;

/** A temporary config directory. Writes bump the mtime by a full second so every edit has a new signature. */
export function createConfigFixture(): ConfigFixture {
  const dir = mkdtempSync(join(tmpdir(), 'chitchats-config-'));
  return {
    dir,
    write(file, text) {
      const path = join(dir, file);
      writeFileSync(path, text);
      mtimeSeconds += 1;
      utimesSync(path, mtimeSeconds, mtimeSeconds);
    },
    open(options = {}) {
      const captured = captureLog();
      const yaml = createYamlStore({ log: captured.log });
      const config = createPromptConfig({ configDir: dir, yaml, log: captured.log, ...options });
      return { config, ...captured };
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

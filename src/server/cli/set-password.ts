import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { readAuthFile, writeAuthFile, authFilePath } from '../auth/auth-state.js';
import { hashPassword } from '../auth/passwords.js';
import { loadSettings, readEnvironment, SettingsError } from '../settings.js';

/**
 * `npm run set-password [-- --guest] [-- --print] [-- --rotate-secret]` (api.md §2.2). Reads the password twice
 * with the input hidden on a terminal; from a pipe it reads two lines, so it can be scripted.
 */

const MIN_LENGTH = 8;

async function readTwice(): Promise<[string, string]> {
  const hidden = process.stdin.isTTY === true;
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: hidden });
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (prompt: string): Promise<string> => {
    process.stderr.write(prompt);
    muted = hidden;
    const { value, done } = await lines.next();
    muted = false;
    if (hidden) process.stderr.write('\n');
    if (done) throw new Error('no password given');
    return String(value);
  };
  try {
    return [await ask('New password: '), await ask('Repeat it: ')];
  } finally {
    rl.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const guest = argv.includes('--guest');
  const print = argv.includes('--print');
  const rotate = argv.includes('--rotate-secret');
  const settings = loadSettings(readEnvironment(process.env, process.cwd()));
  const variable = guest ? 'GUEST_PASSWORD_HASH' : 'API_KEY_HASH';

  if (rotate) {
    if (settings.production) {
      process.stderr.write('--rotate-secret works on DATA_DIR/auth.json, which production mode ignores; set JWT_SECRET instead.\n');
      return 1;
    }
    const file = readAuthFile(settings.dataDir);
    writeAuthFile(settings.dataDir, { ...file, jwt_secret: randomBytes(32).toString('hex') });
    process.stdout.write(`Rotated the JWT secret in ${authFilePath(settings.dataDir)}; every issued token is now invalid.\n`);
    return 0;
  }

  const [first, second] = await readTwice();
  if (first !== second) {
    process.stderr.write('The two passwords differ; nothing was changed.\n');
    return 1;
  }
  if ([...first].length < MIN_LENGTH) {
    process.stderr.write(`Use at least ${MIN_LENGTH} characters; nothing was changed.\n`);
    return 1;
  }
  const hash = await hashPassword(first);
  if (print) {
    process.stdout.write(`${variable}=${hash}\n`);
    return 0;
  }
  const file = readAuthFile(settings.dataDir);
  if (guest) file.guest_password_hash = hash;
  else {
    file.admin_password_hash = hash;
    file.password_generated = false;
  }
  writeAuthFile(settings.dataDir, file);
  process.stdout.write(`Saved the new ${guest ? 'guest' : 'admin'} password hash in ${authFilePath(settings.dataDir)}.\n`);
  if ((guest ? settings.auth.guestPasswordHash : settings.auth.apiKeyHash) !== undefined) {
    process.stdout.write(`Warning: ${variable} is set in the environment and overrides the file.\n`);
  }
  if (settings.production) process.stdout.write('Note: production mode reads only the environment; use --print and set the variable.\n');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof SettingsError ? err.message : String(err)}\n`);
    process.exit(1);
  },
);

import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { generatePassword, hashPassword, isSupportedHash } from './passwords.js';

/**
 * Where the admin/guest hashes and the JWT secret come from (api.md §2.1–2.2): the environment first; in local
 * mode, `DATA_DIR/auth.json`, generated on first run.
 */
export interface AuthState {
  adminHash: string;
  guestHash: string | undefined;
  jwtSecret: string;
  /** True while the admin hash in use is the one generated on first run. */
  passwordGenerated: boolean;
}

export class StartupError extends Error {
  override readonly name = 'StartupError';
}

const AuthFileSchema = z
  .object({
    admin_password_hash: z.string().optional(),
    guest_password_hash: z.string().optional(),
    jwt_secret: z.string().optional(),
    password_generated: z.boolean().optional(),
  })
  .passthrough();
export type AuthFile = z.infer<typeof AuthFileSchema>;

export function authFilePath(dataDir: string): string {
  return join(dataDir, 'auth.json');
}

export function readAuthFile(dataDir: string): AuthFile {
  let text: string;
  try {
    text = readFileSync(authFilePath(dataDir), 'utf8');
  } catch {
    return {};
  }
  const parsed = AuthFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new StartupError(`${authFilePath(dataDir)} is not a valid auth file`);
  return parsed.data;
}

export function writeAuthFile(dataDir: string, file: AuthFile): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = authFilePath(dataDir);
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, path);
  chmodSync(path, 0o600);
}

export interface AuthInputs {
  production: boolean;
  dataDir: string;
  apiKeyHash: string | undefined;
  guestPasswordHash: string | undefined;
  jwtSecret: string | undefined;
  /** Where the generated password is shown: stdout, never the log. */
  announce: (text: string) => void;
  warn: (message: string) => void;
  randomBytes?: (size: number) => Buffer;
}

export async function resolveAuthState(inputs: AuthInputs): Promise<AuthState> {
  const { production, dataDir, announce, warn, randomBytes = cryptoRandomBytes } = inputs;
  for (const [name, value] of [
    ['API_KEY_HASH', inputs.apiKeyHash],
    ['GUEST_PASSWORD_HASH', inputs.guestPasswordHash],
  ] as const) {
    if (value !== undefined && !isSupportedHash(value)) throw new StartupError(`${name} is not a bcrypt or argon2 hash`);
  }

  if (production) {
    const missing = [
      ...(inputs.apiKeyHash ? [] : ['API_KEY_HASH']),
      ...(inputs.jwtSecret ? [] : ['JWT_SECRET']),
    ];
    if (missing.length > 0) {
      throw new StartupError(
        `Missing required configuration: ${missing.join(', ')} (NODE_ENV=production). Create a hash with ` +
          '"npm run set-password -- --print" and set JWT_SECRET to a random string of at least 32 characters.',
      );
    }
    if (inputs.jwtSecret && inputs.jwtSecret.length < 32) {
      throw new StartupError('JWT_SECRET must be at least 32 characters long (NODE_ENV=production).');
    }
    return {
      adminHash: inputs.apiKeyHash as string,
      guestHash: inputs.guestPasswordHash,
      jwtSecret: inputs.jwtSecret as string,
      passwordGenerated: false,
    };
  }

  const file = readAuthFile(dataDir);
  let changed = false;
  if (!inputs.jwtSecret && !file.jwt_secret) {
    file.jwt_secret = randomBytes(32).toString('hex');
    changed = true;
  }
  let generatedPassword: string | undefined;
  if (!inputs.apiKeyHash && !file.admin_password_hash) {
    generatedPassword = generatePassword(randomBytes);
    file.admin_password_hash = await hashPassword(generatedPassword);
    file.password_generated = true;
    changed = true;
  }
  for (const [key, value] of [
    ['admin_password_hash', file.admin_password_hash],
    ['guest_password_hash', file.guest_password_hash],
  ] as const) {
    if (value !== undefined && !isSupportedHash(value)) throw new StartupError(`${key} in ${authFilePath(dataDir)} is not a bcrypt or argon2 hash`);
  }
  if (changed) writeAuthFile(dataDir, file);

  const jwtSecret = inputs.jwtSecret ?? (file.jwt_secret as string);
  if (jwtSecret.length < 32) warn('JWT_SECRET is shorter than 32 characters; use a longer random secret');
  if (generatedPassword) {
    announce(
      [
        '',
        '  ChitChats generated an admin password for this installation:',
        '',
        `      ${generatedPassword}`,
        '',
        '  It is shown only this once. Change it any time with: npm run set-password',
        '',
      ].join('\n'),
    );
  }
  return {
    adminHash: inputs.apiKeyHash ?? (file.admin_password_hash as string),
    guestHash: inputs.guestPasswordHash ?? file.guest_password_hash,
    jwtSecret,
    passwordGenerated: !inputs.apiKeyHash && file.password_generated === true,
  };
}

import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';

// The package's Algorithm is an ambient const enum; 2 is Argon2id.
const ARGON2ID = 2;
import bcrypt from 'bcryptjs';

/** api.md §2.1: admin and guest hashes may be bcrypt or argon2; hashes we create are argon2id. */

const BCRYPT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;
const ARGON2 = /^\$argon2(id|i|d)\$/;

export function isSupportedHash(hash: string): boolean {
  return BCRYPT.test(hash) || ARGON2.test(hash);
}

/** Verification errors count as no match (api.md §2.1). */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  try {
    if (BCRYPT.test(hash)) return await bcrypt.compare(password, hash);
    if (ARGON2.test(hash)) return await argon2Verify(hash, password);
    return false;
  } catch {
    return false;
  }
}

export function hashPassword(password: string): Promise<string> {
  return argon2Hash(password, { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A 20-character password from an unambiguous alphabet, drawn without modulo bias. */
export function generatePassword(randomBytes: (size: number) => Buffer, length = 20): string {
  const limit = 256 - (256 % PASSWORD_ALPHABET.length);
  let result = '';
  while (result.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit && result.length < length) result += PASSWORD_ALPHABET[byte % PASSWORD_ALPHABET.length];
    }
  }
  return result;
}

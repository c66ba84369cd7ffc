import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  contentTypeForPicture,
  findProfilePicture,
  parseImageDataUrl,
  resolveProfilePicturePath,
} from '../../../src/server/agents/profile-picture.js';
import { dataUrl, GIF, JPEG, PNG, SVG, WEBP } from './images.js';
import { useTempDir, writeTree } from './support.js';

const tmp = useTempDir();

describe('findProfilePicture', () => {
  it('prefers base names profile, avatar, picture, photo in that order', async () => {
    await writeTree(tmp(), { 'photo.png': 'x', 'picture.png': 'x', 'avatar.svg': 'x', 'aaa.png': 'x' });
    expect(await findProfilePicture(tmp())).toBe('avatar.svg');
    await writeTree(tmp(), { 'profile.webp': 'x' });
    expect(await findProfilePicture(tmp())).toBe('profile.webp');
  });

  it('tries the extensions in order .png .jpg .jpeg .gif .webp .svg for one base name', async () => {
    await writeTree(tmp(), { 'profile.svg': 'x', 'profile.gif': 'x', 'profile.jpeg': 'x' });
    expect(await findProfilePicture(tmp())).toBe('profile.jpeg');
    await writeTree(tmp(), { 'profile.jpg': 'x' });
    expect(await findProfilePicture(tmp())).toBe('profile.jpg');
  });

  it('falls back to the first image by extension order, then file name', async () => {
    await writeTree(tmp(), { 'b.png': 'x', 'a.jpg': 'x', 'c.png': 'x', 'notes.md': 'x' });
    expect(await findProfilePicture(tmp())).toBe('b.png');
  });

  it('matches extensions case-insensitively and returns the on-disk name', async () => {
    await writeTree(tmp(), { 'Photo.JPG': 'x' });
    expect(await findProfilePicture(tmp())).toBe('Photo.JPG');
  });

  it('ignores hidden files, folders and other extensions, and a missing folder', async () => {
    await writeTree(tmp(), { '.profile.png': 'x', 'folder.png/': '', 'profile.bmp': 'x' });
    expect(await findProfilePicture(tmp())).toBeNull();
    expect(await findProfilePicture(join(tmp(), 'missing'))).toBeNull();
  });
});

describe('resolveProfilePicturePath', () => {
  it('looks in the known folder first', async () => {
    await writeTree(tmp(), { 'group_B/Mira/profile.png': 'b', 'Mira/profile.png': 'top', 'Mira.png': 'legacy' });
    const known = join(tmp(), 'group_B', 'Mira');
    expect(await resolveProfilePicturePath({ agentsDir: tmp(), name: 'Mira', knownDir: known })).toBe(join(known, 'profile.png'));
  });

  it('then AGENTS_DIR/<name>/, then group folders in name order, then the legacy file', async () => {
    await writeTree(tmp(), { 'group_B/Mira/a.png': 'b', 'group_A/Mira/z.gif': 'a', 'Mira.webp': 'legacy' });
    expect(await resolveProfilePicturePath({ agentsDir: tmp(), name: 'Mira' })).toBe(join(tmp(), 'group_A', 'Mira', 'z.gif'));
    await writeTree(tmp(), { 'Mira/photo.svg': 'top' });
    expect(await resolveProfilePicturePath({ agentsDir: tmp(), name: 'Mira' })).toBe(join(tmp(), 'Mira', 'photo.svg'));
  });

  it('finds the legacy AGENTS_DIR/<name>.<ext> file in extension order', async () => {
    await writeTree(tmp(), { 'Mira.svg': 'x', 'Mira.jpeg': 'x', 'Mira/characteristics.md': 'x' });
    expect(await resolveProfilePicturePath({ agentsDir: tmp(), name: 'Mira' })).toBe(join(tmp(), 'Mira.jpeg'));
  });

  it('returns null when nothing is found or the name is invalid', async () => {
    await writeTree(tmp(), { 'Mira/characteristics.md': 'x', 'secret.png': 'x' });
    expect(await resolveProfilePicturePath({ agentsDir: tmp(), name: 'Mira' })).toBeNull();
    expect(await resolveProfilePicturePath({ agentsDir: tmp(), name: '../secret' })).toBeNull();
    expect(await resolveProfilePicturePath({ agentsDir: join(tmp(), 'missing'), name: 'Mira' })).toBeNull();
  });

  it('never returns a picture whose symlink leads outside AGENTS_DIR', async () => {
    const agentsDir = join(tmp(), 'agents');
    await writeTree(tmp(), { 'outside/profile.png': 'secret', 'outside/Folder/profile.png': 'secret', 'agents/Mira/characteristics.md': 'x' });
    await symlink(join(tmp(), 'outside', 'profile.png'), join(agentsDir, 'Mira', 'profile.png'));
    await symlink(join(tmp(), 'outside', 'Folder'), join(agentsDir, 'Eve'));
    await symlink(join(tmp(), 'outside', 'profile.png'), join(agentsDir, 'Zed.png'));
    expect(await resolveProfilePicturePath({ agentsDir, name: 'Mira' })).toBeNull();
    expect(await resolveProfilePicturePath({ agentsDir, name: 'Eve' })).toBeNull();
    expect(await resolveProfilePicturePath({ agentsDir, name: 'Zed' })).toBeNull();
    expect(await resolveProfilePicturePath({ agentsDir, name: 'Mira', knownDir: join(tmp(), 'outside') })).toBeNull();
  });

  it('serves a symlink that stays inside AGENTS_DIR, by its real path', async () => {
    await writeTree(tmp(), { 'shared/avatar.png': 'x', 'Mira/characteristics.md': 'x' });
    await symlink(join(tmp(), 'shared', 'avatar.png'), join(tmp(), 'Mira', 'avatar.png'));
    expect(await resolveProfilePicturePath({ agentsDir: tmp(), name: 'Mira' })).toBe(join(tmp(), 'shared', 'avatar.png'));
  });

  it('skips a candidate folder whose picture is a folder', async () => {
    await mkdir(join(tmp(), 'Mira', 'profile.png'), { recursive: true });
    await writeTree(tmp(), { 'group_G/Mira/photo.gif': 'x' });
    expect(await resolveProfilePicturePath({ agentsDir: tmp(), name: 'Mira' })).toBe(join(tmp(), 'group_G', 'Mira', 'photo.gif'));
  });
});

describe('parseImageDataUrl', () => {
  it.each([
    ['png', PNG, 'png', 'image/png'],
    ['jpeg', JPEG, 'jpg', 'image/jpeg'],
    ['jpg', JPEG, 'jpg', 'image/jpeg'],
    ['gif', GIF, 'gif', 'image/gif'],
    ['webp', WEBP, 'webp', 'image/webp'],
    ['svg+xml', SVG, 'svg', 'image/svg+xml'],
    ['svg', SVG, 'svg', 'image/svg+xml'],
    ['PNG', PNG, 'png', 'image/png'],
  ])('accepts image/%s', (type, bytes, ext, mediaType) => {
    expect(parseImageDataUrl(dataUrl(type, bytes), 1024)).toEqual({ ok: true, ext, mediaType, bytes });
  });

  it.each([
    ['https://example.com/a.png', 'not_data_url'],
    ['data:text/plain;base64,aGk=', 'not_data_url'],
    ['data:image/png,rawdata', 'not_data_url'],
    [dataUrl('bmp', PNG), 'unsupported_type'],
    [dataUrl('constructor', PNG), 'unsupported_type'],
    ['data:image/png;base64,%%%%', 'invalid_base64'],
    ['data:image/png;base64,', 'empty'],
    [dataUrl('png', JPEG), 'content_mismatch'],
    [dataUrl('jpeg', PNG), 'content_mismatch'],
    [dataUrl('gif', Buffer.from('GIF90a')), 'content_mismatch'],
    [dataUrl('webp', Buffer.from('RIFF....WAVE')), 'content_mismatch'],
    [dataUrl('svg+xml', Buffer.from('<html><script>x</script></html>')), 'content_mismatch'],
  ])('rejects %s as %s', (value, reason) => {
    expect(parseImageDataUrl(value, 1024)).toMatchObject({ ok: false, reason });
  });

  it('enforces the decoded size limit exactly', () => {
    const bytes = Buffer.concat([PNG, Buffer.alloc(100 - PNG.length)]);
    expect(parseImageDataUrl(dataUrl('png', bytes), 100).ok).toBe(true);
    expect(parseImageDataUrl(dataUrl('png', bytes), 99)).toMatchObject({ ok: false, reason: 'too_large' });
  });

  it('tolerates line-wrapped base64', () => {
    const wrapped = PNG.toString('base64').replace(/(.{4})/g, '$1\n');
    expect(parseImageDataUrl(`data:image/png;base64,${wrapped}`, 1024).ok).toBe(true);
  });

  it('never accepts bytes whose magic number does not match (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (raw) => {
        const bytes = Buffer.from(raw);
        const result = parseImageDataUrl(dataUrl('png', bytes), 1024);
        if (result.ok) expect(bytes.subarray(0, 8)).toEqual(PNG.subarray(0, 8));
      }),
    );
  });
});

describe('contentTypeForPicture', () => {
  it('maps picture extensions case-insensitively and anything else to octet-stream', () => {
    expect(contentTypeForPicture('profile.png')).toBe('image/png');
    expect(contentTypeForPicture('a.JPG')).toBe('image/jpeg');
    expect(contentTypeForPicture('a.jpeg')).toBe('image/jpeg');
    expect(contentTypeForPicture('a.gif')).toBe('image/gif');
    expect(contentTypeForPicture('a.webp')).toBe('image/webp');
    expect(contentTypeForPicture('a.svg')).toBe('image/svg+xml');
    expect(contentTypeForPicture('a.exe')).toBe('application/octet-stream');
  });
});

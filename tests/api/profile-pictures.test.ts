import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, dataUrl, PNG } from '../helpers/agent-api.js';
import { databaseAvailable } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

describe.runIf(await databaseAvailable())('GET /agents/{agent_name}/profile-pic', () => {
  let t: TestServer;
  let admin: string;

  beforeAll(async () => {
    t = await startTestServer({ agents: 'sample' });
    admin = await t.login('admin');
  });
  afterAll(async () => t?.close());

  const picture = (name: string, headers: Record<string, string> = {}) =>
    t.request({ method: 'GET', url: `/agents/${name}/profile-pic`, headers });

  it('serves an SVG without a credential, with cache, validator, nosniff and CSP headers', async () => {
    const response = await picture('Mira');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/svg+xml');
    expect(response.headers['cache-control']).toBe('public, max-age=3600, must-revalidate');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toBe(SVG_CSP);
    expect(response.headers.etag).toEqual(expect.any(String));
    expect(new Date(String(response.headers['last-modified'])).getTime()).not.toBeNaN();
    expect(response.body).toBe(await readFile(join(t.dirs.agents, 'group_Harbour', 'Mira', 'profile.svg'), 'utf8'));
  });

  it('answers 304 to a request carrying the ETag', async () => {
    const first = await picture('Juniper');
    const second = await picture('Juniper', { 'if-none-match': String(first.headers.etag) });
    expect(second.statusCode).toBe(304);
    expect(second.body).toBe('');
    expect(second.headers.etag).toBe(first.headers.etag);
  });

  it('answers 304 to a request carrying Last-Modified', async () => {
    const first = await picture('Juniper');
    const second = await picture('Juniper', { 'if-modified-since': String(first.headers['last-modified']) });
    expect(second.statusCode).toBe(304);
  });

  it('serves a PNG as image/png without the SVG policy', async () => {
    await createAgent(t, admin, { name: 'Pixel', profile_pic: dataUrl('png', PNG) });
    const response = await picture('Pixel');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.headers['content-security-policy']).toBeUndefined();
    expect(response.rawPayload).toEqual(PNG);
  });

  it('finds a Korean-named agent from its URL-encoded name, in NFC or NFD', async () => {
    for (const name of ['한서윤', '한서윤'.normalize('NFD')]) {
      const response = await picture(encodeURIComponent(name));
      expect(response.statusCode, name).toBe(200);
      expect(response.headers['content-type']).toBe('image/svg+xml');
    }
  });

  it('answers 400 Invalid agent name for names that could leave the agents folder', async () => {
    for (const name of ['..%2Fx', '..%2F..%2Fetc%2Fpasswd', '.trash', 'a%5Cb', '%2E%2E%2Fx', 'a%00b', 'x'.repeat(65)]) {
      const response = await picture(name);
      expect(response.statusCode, name).toBe(400);
      expect(response.json()).toEqual({ detail: 'Invalid agent name' });
    }
  });

  it('answers 404 Profile picture not found for an agent without an image and for an unknown name', async () => {
    await createAgent(t, admin, { name: 'Plain' });
    for (const name of ['Plain', 'Nobody']) {
      const response = await picture(name);
      expect(response.statusCode, name).toBe(404);
      expect(response.json()).toEqual({ detail: 'Profile picture not found' });
    }
  });

  it('serves a picture found by folder search and the legacy file beside the folders', async () => {
    await mkdir(join(t.dirs.agents, 'group_Zeta', 'Loner'), { recursive: true });
    await writeFile(join(t.dirs.agents, 'group_Zeta', 'Loner', 'photo.png'), PNG);
    await writeFile(join(t.dirs.agents, 'Legacy.png'), PNG);
    for (const name of ['Loner', 'Legacy']) {
      const response = await picture(name);
      expect(response.statusCode, name).toBe(200);
      expect(response.rawPayload).toEqual(PNG);
    }
  });

  it('never serves a file reached through a symlink that points outside the agents folder', async () => {
    const outside = join(t.dirs.root, 'outside');
    await mkdir(join(outside, 'Spy'), { recursive: true });
    await writeFile(join(outside, 'Spy', 'profile.png'), PNG);
    await writeFile(join(outside, 'Spy', 'in_a_nutshell.md'), 'Spy.\n');
    await writeFile(join(outside, 'secret.png'), PNG);
    // A symlinked agent folder, a symlinked picture inside a real folder, and a symlinked legacy file.
    await symlink(join(outside, 'Spy'), join(t.dirs.agents, 'Spy'));
    await mkdir(join(t.dirs.agents, 'Leak'));
    await symlink(join(outside, 'secret.png'), join(t.dirs.agents, 'Leak', 'profile.png'));
    await symlink(join(outside, 'secret.png'), join(t.dirs.agents, 'Legacy2.png'));
    for (const name of ['Spy', 'Leak', 'Legacy2']) {
      const response = await picture(name);
      expect(response.statusCode, name).toBe(404);
      expect(response.json()).toEqual({ detail: 'Profile picture not found' });
    }
  });

  it('ignores a size out of range and serves the picture', async () => {
    for (const size of ['64', '5000', 'abc']) {
      const response = await t.request({ method: 'GET', url: `/agents/Mira/profile-pic?size=${size}` });
      expect(response.statusCode, size).toBe(200);
      expect(response.headers['content-type']).toBe('image/svg+xml');
    }
  });

  it('answers HEAD with the headers and no body', async () => {
    const response = await t.request({ method: 'HEAD', url: '/agents/Mira/profile-pic' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/svg+xml');
    expect(response.body).toBe('');
  });
});

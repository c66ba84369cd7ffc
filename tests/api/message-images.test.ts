import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAvailable } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { createRoom, listMessages, sendMessage, uniqueName, validationIssues } from '../helpers/room-api.js';

const MAX_IMAGE_BYTES = 2048;

async function solidImage(format: 'png' | 'jpeg' | 'gif' | 'webp', size = 8): Promise<Buffer> {
  const image = sharp({ create: { width: size, height: size, channels: 3, background: { r: 200, g: 40, b: 90 } } });
  return image.toFormat(format).toBuffer();
}

/** Random pixels do not compress, so the PNG is larger than MAX_IMAGE_BYTES. */
async function noisyPng(size: number): Promise<Buffer> {
  const pixels = randomBytes(size * size * 3);
  return sharp(pixels, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer();
}

const isWebp = (bytes: Buffer) =>
  bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP';

describe.runIf(await databaseAvailable())('message images', () => {
  let t: TestServer;
  let admin: string;
  let roomId: number;
  beforeAll(async () => {
    t = await startTestServer({ agents: 'empty', env: { MAX_IMAGE_BYTES: String(MAX_IMAGE_BYTES), RATE_LIMIT_SEND: '0' } });
    admin = await t.login('admin');
    roomId = (await createRoom(t, admin, uniqueName('Images'))).id;
  });
  afterAll(async () => t?.close());

  const send = (payload: Record<string, unknown>) =>
    t.request({ method: 'POST', url: `/rooms/${roomId}/messages/send`, token: admin, payload });

  it('re-encodes a PNG to WebP and stores it', async () => {
    const png = await solidImage('png');
    const message = await sendMessage(t, admin, roomId, { content: 'look', image_data: png.toString('base64'), image_media_type: 'image/png' });
    expect(message.image_media_type).toBe('image/webp');
    const bytes = Buffer.from(message.image_data!, 'base64');
    expect(isWebp(bytes)).toBe(true);
    expect((await sharp(bytes).metadata()).width).toBe(8);
    const stored = (await listMessages(t, admin, roomId)).find((m) => m.id === message.id);
    expect(stored).toMatchObject({ image_media_type: 'image/webp', image_data: message.image_data });
  });

  it('accepts a data URL and takes its type when image_media_type is absent', async () => {
    const jpeg = await solidImage('jpeg');
    const message = await sendMessage(t, admin, roomId, { content: '', image_data: `data:image/jpeg;base64,${jpeg.toString('base64')}` });
    expect(message.content).toBe('');
    expect(message.image_media_type).toBe('image/webp');
    expect(isWebp(Buffer.from(message.image_data!, 'base64'))).toBe(true);
  });

  it('accepts URL-safe base64 without padding', async () => {
    const gif = await solidImage('gif');
    const urlSafe = gif.toString('base64url');
    const message = await sendMessage(t, admin, roomId, { content: 'gif', image_data: urlSafe, image_media_type: 'image/gif' });
    expect(message.image_media_type).toBe('image/webp');
  });

  it('keeps a WebP upload as it is', async () => {
    const webp = await solidImage('webp');
    const message = await sendMessage(t, admin, roomId, { content: 'webp', image_data: webp.toString('base64'), image_media_type: 'image/webp' });
    expect(message).toMatchObject({ image_media_type: 'image/webp', image_data: webp.toString('base64') });
  });

  it('requires image_media_type with raw base64 image data', async () => {
    const png = await solidImage('png');
    const issues = validationIssues(await send({ content: 'x', image_data: png.toString('base64') }));
    expect(issues).toEqual([expect.objectContaining({ type: 'missing', loc: ['body', 'image_media_type'] })]);
  });

  it('rejects an unsupported media type', async () => {
    const png = await solidImage('png');
    const issues = validationIssues(await send({ content: 'x', image_data: png.toString('base64'), image_media_type: 'image/bmp' }));
    expect(issues).toEqual([expect.objectContaining({ type: 'enum', loc: ['body', 'image_media_type'] })]);
  });

  it('rejects bytes that do not match the declared type, without echoing the data', async () => {
    const png = await solidImage('png');
    const issues = validationIssues(await send({ content: 'x', image_data: png.toString('base64'), image_media_type: 'image/jpeg' }));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ type: 'value_error', loc: ['body', 'image_data'] });
    expect(issues[0]).not.toHaveProperty('input');
  });

  it('rejects data that is not base64 or not an image', async () => {
    for (const image_data of ['%%%not-base64%%%', Buffer.from('just some text').toString('base64')]) {
      const issues = validationIssues(await send({ content: 'x', image_data, image_media_type: 'image/png' }));
      expect(issues[0]).toMatchObject({ loc: ['body', 'image_data'] });
    }
  });

  it('rejects an image over MAX_IMAGE_BYTES decoded with loc body.image_data and no input', async () => {
    const big = await noisyPng(48);
    expect(big.length).toBeGreaterThan(MAX_IMAGE_BYTES);
    const response = await send({ content: 'big', image_data: `data:image/png;base64,${big.toString('base64')}` });
    const issues = validationIssues(response);
    expect(issues).toEqual([expect.objectContaining({ type: 'value_error', loc: ['body', 'image_data'] })]);
    expect(issues[0]).not.toHaveProperty('input');
    expect(response.body).not.toContain(big.toString('base64').slice(0, 40));
  });

  it('stores no message when the image is rejected', async () => {
    const before = (await listMessages(t, admin, roomId)).length;
    await send({ content: 'bad', image_data: 'AAAA', image_media_type: 'image/png' });
    expect(await listMessages(t, admin, roomId)).toHaveLength(before);
  });

  it('ignores image_media_type without image data', async () => {
    const message = await sendMessage(t, admin, roomId, { content: 'text only', image_media_type: 'image/png', image_data: null });
    expect(message).toMatchObject({ image_data: null, image_media_type: null });
  });
});

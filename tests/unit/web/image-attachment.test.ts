import { describe, expect, it } from 'vitest';
import {
  firstImageFile,
  imageProblem,
  MAX_IMAGE_BYTES,
  needsDownscale,
  scaledSize,
} from '../../../src/web/composer/image-rules.js';

const MB = 1024 * 1024;

describe('image attachment rules', () => {
  it('accepts PNG, JPEG, GIF and WebP up to 10 MB', () => {
    for (const type of ['image/png', 'image/jpeg', 'image/gif', 'image/webp']) {
      expect(imageProblem({ name: 'a', type, size: MAX_IMAGE_BYTES })).toBeNull();
    }
  });

  it('rejects other types, including HEIC and SVG', () => {
    expect(imageProblem({ name: 'photo.heic', type: 'image/heic', size: 1_000 })).toBe('type');
    expect(imageProblem({ name: 'logo.svg', type: 'image/svg+xml', size: 1_000 })).toBe('type');
    expect(imageProblem({ name: 'notes.txt', type: 'text/plain', size: 10 })).toBe('type');
  });

  it('rejects an original larger than 10 MB', () => {
    expect(imageProblem({ name: 'big.png', type: 'image/png', size: MAX_IMAGE_BYTES + 1 })).toBe('size');
  });

  it('scales down a non-GIF image wider than 2048 px or heavier than 2 MB, and never a GIF', () => {
    expect(needsDownscale({ type: 'image/png', size: MB }, 2049, 100)).toBe(true);
    expect(needsDownscale({ type: 'image/jpeg', size: MB }, 100, 4000)).toBe(true);
    expect(needsDownscale({ type: 'image/webp', size: 3 * MB }, 800, 600)).toBe(true);
    expect(needsDownscale({ type: 'image/png', size: MB }, 2048, 2048)).toBe(false);
    expect(needsDownscale({ type: 'image/gif', size: 9 * MB }, 5000, 5000)).toBe(false);
  });

  it('fits the longer side into 2048 px, keeping the aspect ratio and never enlarging', () => {
    expect(scaledSize(4096, 2048)).toEqual({ width: 2048, height: 1024 });
    expect(scaledSize(1000, 3000)).toEqual({ width: 683, height: 2048 });
    expect(scaledSize(640, 480)).toEqual({ width: 640, height: 480 });
  });

  it('picks the first image among pasted or dropped files', () => {
    expect(firstImageFile([{ type: 'text/plain' }, { type: 'image/png' }, { type: 'image/gif' }])).toEqual({ type: 'image/png' });
    expect(firstImageFile([{ type: 'text/plain' }])).toBeNull();
  });
});

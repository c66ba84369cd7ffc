import { describe, expect, it } from 'vitest';
import {
  codePointLength,
  composerFromSend,
  validateSend,
  type ComposerInput,
} from '../../../src/web/send/send-validation.js';
import { pendingSend, sendBody } from './helpers/fixtures.js';

function input(extra: Partial<ComposerInput> = {}): ComposerInput {
  return {
    text: 'hello',
    persona: 'user',
    characterName: '',
    image: null,
    mentionedAgentIds: [],
    onlyMentioned: false,
    ...extra,
  };
}

describe('validateSend', () => {
  it('sends trimmed text as the user', () => {
    expect(validateSend(input({ text: '  hello \n' }))).toEqual({
      ok: true,
      body: { content: 'hello', role: 'user', participant_type: 'user' },
    });
  });

  it('refuses blank text without an image', () => {
    expect(validateSend(input({ text: ' \n ' }))).toEqual({ ok: false, problem: 'empty' });
  });

  it('sends an image with blank text', () => {
    const result = validateSend(input({ text: ' ', image: { data: 'AAAA', mediaType: 'image/png' } }));
    expect(result).toEqual({
      ok: true,
      body: { content: '', role: 'user', participant_type: 'user', image_data: 'AAAA', image_media_type: 'image/png' },
    });
  });

  it('counts the 20,000 limit in code points', () => {
    expect(validateSend(input({ text: '가'.repeat(20_000) })).ok).toBe(true);
    expect(validateSend(input({ text: '😀'.repeat(20_000) })).ok).toBe(true);
    expect(validateSend(input({ text: 'a'.repeat(20_001) }))).toEqual({ ok: false, problem: 'too_long' });
  });

  it('needs a name in character mode and sends it trimmed', () => {
    expect(validateSend(input({ persona: 'character', characterName: '  ' }))).toEqual({
      ok: false,
      problem: 'character_name_missing',
    });
    expect(validateSend(input({ persona: 'character', characterName: ' Bob ' }))).toMatchObject({
      ok: true,
      body: { participant_type: 'character', participant_name: 'Bob' },
    });
    expect(validateSend(input({ persona: 'character', characterName: 'x'.repeat(101) }))).toEqual({
      ok: false,
      problem: 'character_name_too_long',
    });
  });

  it('sends situations as situation_builder without a name', () => {
    const result = validateSend(input({ persona: 'situation', characterName: 'ignored' }));
    expect(result).toEqual({ ok: true, body: { content: 'hello', role: 'user', participant_type: 'situation_builder' } });
  });

  it('sends mentions unchanged in the text and only-mentioned only when someone is mentioned', () => {
    expect(validateSend(input({ text: '@Mira hi', mentionedAgentIds: [3, 3, 4], onlyMentioned: true }))).toMatchObject({
      ok: true,
      body: { content: '@Mira hi', mentioned_agent_ids: [3, 4], mention_mode: 'only' },
    });
    expect(validateSend(input({ onlyMentioned: true }))).toEqual({
      ok: true,
      body: { content: 'hello', role: 'user', participant_type: 'user' },
    });
  });
});

describe('codePointLength', () => {
  it('counts a surrogate pair once', () => {
    expect(codePointLength('a😀가')).toBe(3);
  });
});

describe('composerFromSend', () => {
  it('gives the text, persona, name and image back to the composer', () => {
    const body = sendBody('hi', {
      participant_type: 'character',
      participant_name: 'Bob',
      image_data: 'AAAA',
      image_media_type: 'image/webp',
    });
    expect(composerFromSend(pendingSend('a', 'hi', { body }))).toEqual({
      text: 'hi',
      persona: 'character',
      characterName: 'Bob',
      image: { data: 'AAAA', mediaType: 'image/webp' },
    });
  });

  it('maps a situation back to the situation persona', () => {
    const body = sendBody('rain', { participant_type: 'situation_builder' });
    expect(composerFromSend(pendingSend('a', 'rain', { body })).persona).toBe('situation');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findUnbalancedBraces, renderTemplate } from '../../../src/server/prompts/template.js';

describe('renderTemplate', () => {
  it('replaces each known placeholder with its value', () => {
    expect(renderTemplate('{agent_name} talks to {user_name}.', { agent_name: 'Mira', user_name: 'Jae' })).toBe(
      'Mira talks to Jae.',
    );
  });

  it('attaches Korean particles for every particle form', () => {
    const vars = { agent_name: '하늘', user_name: '민준' };
    expect(renderTemplate('{agent_name:은는} {user_name:이가} {agent_name:을를}', vars)).toBe('하늘은 민준이 하늘을');
    expect(renderTemplate('{user_name:과와} {agent_name:으로로} {user_name:으로로}', vars)).toBe('민준과 하늘로 민준으로');
  });

  it('leaves placeholders of unknown variables untouched', () => {
    expect(renderTemplate('{agent_name} sees {mystery} and {mystery:은는}', { agent_name: 'Mira' })).toBe(
      'Mira sees {mystery} and {mystery:은는}',
    );
  });

  it('leaves placeholders with an unknown particle form untouched', () => {
    expect(renderTemplate('{agent_name:xyz}', { agent_name: 'Mira' })).toBe('{agent_name:xyz}');
  });

  it('turns doubled braces into literal braces', () => {
    expect(renderTemplate('{{agent_name}} is {agent_name}; {{ and }}', { agent_name: 'Mira' })).toBe(
      '{agent_name} is Mira; { and }',
    );
  });

  it('leaves single stray braces and non-identifier braces as written', () => {
    expect(renderTemplate('a } b { c {not a name} {"k": 1}', {})).toBe('a } b { c {not a name} {"k": 1}');
  });

  it('substitutes an empty value as nothing', () => {
    expect(renderTemplate('[{user_name}]', { user_name: '' })).toBe('[]');
  });

  it('ignores inherited object properties as variable names', () => {
    expect(renderTemplate('{toString} {constructor}', {})).toBe('{toString} {constructor}');
  });

  it('never re-scans substituted values', () => {
    const vars = { agent_name: '{user_name}', user_name: 'Jae' };
    expect(renderTemplate('{agent_name} and {user_name}', vars)).toBe('{user_name} and Jae');
  });

  it('keeps any value containing a placeholder literal after substitution', () => {
    const around = fc.string().filter((s) => !s.includes('{') && !s.includes('}'));
    fc.assert(
      fc.property(around, around, (before, after) => {
        const value = `${before}{agent_name}${after}{{x}}`;
        const rendered = renderTemplate('<{user_name}> {agent_name:은는}', { user_name: value, agent_name: 'Mira' });
        expect(rendered).toBe(`<${value}> Mira은`);
      }),
    );
  });
});

describe('findUnbalancedBraces', () => {
  it('accepts templates whose braces pair up', () => {
    for (const template of ['', 'plain', '{a} {b:은는}', '{{literal}}', '{{ }}', '{a}}}', '{"k": 1}']) {
      expect(findUnbalancedBraces(template), template).toBe(false);
    }
  });

  it('flags an opening brace that is never closed', () => {
    expect(findUnbalancedBraces('Hello {agent_name')).toBe(true);
    expect(findUnbalancedBraces('{a {b}')).toBe(true);
  });

  it('flags a lone closing brace', () => {
    expect(findUnbalancedBraces('agent_name} says hi')).toBe(true);
    expect(findUnbalancedBraces('{a}}')).toBe(true);
  });

  it('accepts every template built only from escapes, placeholders and brace-free text', () => {
    const piece = fc.oneof(
      fc.constant('{{'),
      fc.constant('}}'),
      fc.constant('{agent_name}'),
      fc.constant('{user_name:이가}'),
      fc.string().filter((s) => !s.includes('{') && !s.includes('}')),
    );
    fc.assert(fc.property(fc.array(piece), (pieces) => findUnbalancedBraces(pieces.join('')) === false));
  });
});

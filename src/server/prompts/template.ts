import { attachParticle, isParticleForm } from './korean-particles.js';

/**
 * Template rendering per behavior.md §3.6 rule 1. One regex alternation consumed left to right: an escaped
 * brace pair, or a placeholder `{name}` / `{name:<particle form>}`. `String.prototype.replace` never looks at
 * text it has already produced, which is what keeps substituted values from being re-scanned (a participant
 * named `{agent_name}` stays literal).
 */
const TOKEN = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)(?::([^{}:]+))?\}/g;

export type TemplateVars = Readonly<Record<string, string>>;

export function renderTemplate(template: string, vars: TemplateVars): string {
  return template.replace(TOKEN, (token: string, name: string | undefined, form: string | undefined) => {
    if (token === '{{') return '{';
    if (token === '}}') return '}';
    if (name === undefined || !Object.hasOwn(vars, name)) return token;
    const value = vars[name] ?? '';
    if (form === undefined) return value;
    // An unknown form is treated like an unknown placeholder: left as written so the mistake is visible.
    return isParticleForm(form) ? attachParticle(value, form) : token;
  });
}

/**
 * True when the template's braces do not pair up the way renderTemplate reads them: a `{` that is not
 * closed before the next `{` or the end, or a lone `}`. `{{` and `}}` are escapes and always balanced.
 * Used by the startup validation (§3.8) to flag templates that would render with stray braces.
 */
export function findUnbalancedBraces(template: string): boolean {
  let open = false;
  for (let i = 0; i < template.length; i += 1) {
    const ch = template[i];
    if (ch !== '{' && ch !== '}') continue;
    if (open) {
      if (ch === '{') return true;
      open = false;
      continue;
    }
    // Outside a placeholder a doubled brace is an escape; skip its second half.
    if (template[i + 1] === ch) {
      i += 1;
      continue;
    }
    if (ch === '}') return true;
    open = true;
  }
  return open;
}

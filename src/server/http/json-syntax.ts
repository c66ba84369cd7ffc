/**
 * Where a JSON text stops being valid, in code points, as Python's `json` module reports it (the original
 * ChitChats API put that offset in the `json_invalid` loc, api.md §1.4). V8's JSON.parse messages do not always
 * carry a position, so the text is scanned here. Returns null for valid JSON.
 */
class JsonSyntaxError extends Error {
  constructor(readonly offset: number) {
    super('invalid JSON');
  }
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

export function jsonErrorOffset(text: string): number | null {
  const chars = [...text];
  let pos = 0;

  const skipWhitespace = () => {
    while (pos < chars.length && WHITESPACE.has(chars[pos]!)) pos += 1;
  };

  function scanString(): void {
    const start = pos;
    pos += 1;
    for (;;) {
      if (pos >= chars.length) throw new JsonSyntaxError(start);
      const char = chars[pos]!;
      if (char === '"') {
        pos += 1;
        return;
      }
      if (char.codePointAt(0)! < 0x20) throw new JsonSyntaxError(pos);
      if (char === '\\') {
        const escape = chars[pos + 1];
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(chars.slice(pos + 2, pos + 6).join(''))) throw new JsonSyntaxError(pos + 1);
          pos += 6;
          continue;
        }
        if (escape === undefined || !ESCAPES.has(escape)) throw new JsonSyntaxError(pos);
        pos += 2;
        continue;
      }
      pos += 1;
    }
  }

  function scanValue(): void {
    const char = chars[pos];
    if (char === '"') return scanString();
    if (char === '{') return scanContainer('}', true);
    if (char === '[') return scanContainer(']', false);
    for (const literal of ['null', 'true', 'false']) {
      if (chars.slice(pos, pos + literal.length).join('') === literal) {
        pos += literal.length;
        return;
      }
    }
    const number = NUMBER.exec(chars.slice(pos, pos + 400).join(''));
    if (!number) throw new JsonSyntaxError(pos);
    pos += number[0].length;
  }

  function scanContainer(close: '}' | ']', isObject: boolean): void {
    pos += 1;
    skipWhitespace();
    if (chars[pos] === close) {
      pos += 1;
      return;
    }
    for (;;) {
      if (isObject) {
        if (chars[pos] !== '"') throw new JsonSyntaxError(pos);
        scanString();
        skipWhitespace();
        if (chars[pos] !== ':') throw new JsonSyntaxError(pos);
        pos += 1;
        skipWhitespace();
      }
      scanValue();
      skipWhitespace();
      if (chars[pos] === close) {
        pos += 1;
        return;
      }
      if (chars[pos] !== ',') throw new JsonSyntaxError(pos);
      pos += 1;
      skipWhitespace();
    }
  }

  try {
    skipWhitespace();
    scanValue();
    skipWhitespace();
    if (pos < chars.length) throw new JsonSyntaxError(pos);
    return null;
  } catch (err) {
    if (err instanceof JsonSyntaxError) return err.offset;
    // Nesting deeper than the stack allows (JSON.parse has already refused the text): report where we got to.
    if (err instanceof RangeError) return pos;
    throw err;
  }
}

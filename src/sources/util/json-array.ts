// Splits the text of a JSON array into the texts of its elements, exactly as received: a list page's items can be
// stored as GitHub sent them without serializing each parsed object again.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Index of the quote that closes the string opened at `open`, or -1. */
function stringEnd(text: string, open: number): number {
  let at = text.indexOf('"', open + 1);
  while (at !== -1) {
    let slashes = 0;
    for (let k = at - 1; text.charCodeAt(k) === BACKSLASH; k--) slashes++;
    if (slashes % 2 === 0) return at;
    at = text.indexOf('"', at + 1);
  }
  return -1;
}

/**
 * The top-level elements of `text` (a JSON array) as their own JSON texts, whitespace around them trimmed; null when
 * `text` is not an array or not well-formed at the top level. Elements are not validated: pair it with JSON.parse.
 */
export function splitJsonArray(text: string): string[] | null {
  let i = 0;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 0x5b) return null;
  const items: string[] = [];
  let depth = 0;
  let start = -1;
  let end = -1; // one past the last non-space character of the current element
  for (i++; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      if (start < 0) start = i;
      i = stringEnd(text, i);
      if (i < 0) return null;
      end = i + 1;
    } else if (c === 0x7b || c === 0x5b) {
      if (start < 0) start = i;
      depth++;
    } else if (c === 0x7d || c === 0x5d) {
      if (depth > 0) {
        depth--;
        end = i + 1;
        continue;
      }
      if (c !== 0x5d) return null;
      if (start >= 0) items.push(text.slice(start, end));
      else if (items.length > 0) return null; // `[1,]`
      for (i++; i < text.length; i++) if (!isSpace(text.charCodeAt(i))) return null;
      return items;
    } else if (c === COMMA && depth === 0) {
      if (start < 0) return null;
      items.push(text.slice(start, end));
      start = -1;
    } else if (!isSpace(c)) {
      if (start < 0) start = i;
      end = i + 1;
    }
  }
  return null;
}

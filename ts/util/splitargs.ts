/**
 * Splits a config line the way Redis's `sdssplitargs` does: whitespace
 * separated words, "double quotes" with C escapes, 'single quotes'.
 * Returns null for unbalanced quotes.
 */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
  while (true) {
    while (i < line.length && isSpace(line[i])) i++;
    if (i >= line.length) return out;
    let cur = '';
    let inDq = false;
    let inSq = false;
    for (;;) {
      const c = line[i];
      if (inDq) {
        if (c === undefined) return null;
        if (c === '\\' && line[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
          cur += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 4;
          continue;
        }
        if (c === '\\' && i + 1 < line.length) {
          const n = line[i + 1];
          cur += n === 'n' ? '\n' : n === 'r' ? '\r' : n === 't' ? '\t' : n === 'b' ? '\b' : n === 'a' ? '\x07' : n;
          i += 2;
          continue;
        }
        if (c === '"') {
          if (i + 1 < line.length && !isSpace(line[i + 1])) return null;
          i++;
          break;
        }
        cur += c;
      } else if (inSq) {
        if (c === undefined) return null;
        if (c === '\\' && line[i + 1] === "'") {
          cur += "'";
          i += 2;
          continue;
        }
        if (c === "'") {
          if (i + 1 < line.length && !isSpace(line[i + 1])) return null;
          i++;
          break;
        }
        cur += c;
      } else {
        if (c === undefined || isSpace(c)) break;
        if (c === '"') inDq = true;
        else if (c === "'") inSq = true;
        else cur += c;
      }
      i++;
    }
    out.push(cur);
  }
}

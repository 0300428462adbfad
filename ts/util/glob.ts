/** Redis's glob (`*`, `?`, `[a-z]`, `[^x]`, `\x`), for CONFIG GET patterns. */
export function globMatch(pattern: string, text: string, nocase = false): boolean {
  if (nocase) {
    pattern = pattern.toLowerCase();
    text = text.toLowerCase();
  }
  return matchAt(pattern, 0, text, 0);
}

function matchAt(p: string, pi: number, s: string, si: number): boolean {
  while (pi < p.length) {
    const c = p[pi];
    if (c === '*') {
      while (p[pi + 1] === '*') pi++;
      if (pi + 1 === p.length) return true;
      for (let k = si; k <= s.length; k++) if (matchAt(p, pi + 1, s, k)) return true;
      return false;
    }
    if (si >= s.length) return false;
    if (c === '?') {
      pi++;
      si++;
      continue;
    }
    if (c === '[') {
      let j = pi + 1;
      const negate = p[j] === '^';
      if (negate) j++;
      let matched = false;
      while (j < p.length && p[j] !== ']') {
        if (p[j] === '\\' && j + 1 < p.length) {
          if (p[j + 1] === s[si]) matched = true;
          j += 2;
        } else if (p[j + 1] === '-' && j + 2 < p.length && p[j + 2] !== ']') {
          let lo = p[j];
          let hi = p[j + 2];
          if (lo > hi) [lo, hi] = [hi, lo];
          if (s[si] >= lo && s[si] <= hi) matched = true;
          j += 3;
        } else {
          if (p[j] === s[si]) matched = true;
          j++;
        }
      }
      if (matched === negate) return false;
      pi = j + 1;
      si++;
      continue;
    }
    if (c === '\\' && pi + 1 < p.length) pi++;
    if (p[pi] !== s[si]) return false;
    pi++;
    si++;
  }
  return si === s.length;
}

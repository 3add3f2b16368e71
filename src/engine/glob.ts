// Glob matching with Redis's pattern rules (KEYS, SCAN MATCH, CONFIG GET, PSUBSCRIBE):
// * ? [abc] [^a] [a-z] and backslash escapes, over byte strings, optionally case-insensitive.

/** Matches one [...] class starting at p (just after '['); returns [matched, index after ']']. */
function matchClass(pattern: string, p: number, c: number, nocase: boolean): [boolean, number] {
  let negate = false;
  if (pattern[p] === "^") {
    negate = true;
    p++;
  }
  let matched = false;
  const lc = nocase ? lower(c) : c;
  for (;;) {
    if (p >= pattern.length) {
      p--; // unterminated class: Redis treats the end as closing it
      break;
    }
    const ch = pattern[p];
    if (ch === "]") break;
    if (ch === "\\" && p + 1 < pattern.length) {
      p++;
      if (code(pattern, p, nocase) === lc) matched = true;
    } else if (pattern[p + 1] === "-" && p + 2 < pattern.length) {
      let start = code(pattern, p, nocase);
      let end = code(pattern, p + 2, nocase);
      if (start > end) [start, end] = [end, start];
      if (lc >= start && lc <= end) matched = true;
      p += 2;
    } else if (code(pattern, p, nocase) === lc) {
      matched = true;
    }
    p++;
  }
  return [negate ? !matched : matched, p + 1];
}

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function code(s: string, i: number, nocase: boolean): number {
  const c = s.charCodeAt(i);
  return nocase ? lower(c) : c;
}

export function globMatch(pattern: string, text: string, nocase = false): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = -1;
  while (t < text.length) {
    if (p < pattern.length) {
      const ch = pattern[p];
      if (ch === "*") {
        while (pattern[p + 1] === "*") p++;
        starP = p++;
        starT = t;
        continue;
      }
      if (ch === "?") {
        p++;
        t++;
        continue;
      }
      if (ch === "[") {
        const [ok, next] = matchClass(pattern, p + 1, text.charCodeAt(t), nocase);
        if (ok) {
          p = next;
          t++;
          continue;
        }
      } else {
        const lit = ch === "\\" && p + 1 < pattern.length ? p + 1 : p;
        if (code(pattern, lit, nocase) === code(text, t, nocase)) {
          p = lit + 1;
          t++;
          continue;
        }
      }
    }
    if (starP < 0) return false;
    p = starP + 1;
    t = ++starT;
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}

// notify-keyspace-events flags: the class letters of Redis's keyspace notifications, parsed
// from the config string into a bit set and printed back in Redis's normalized form.

/** One bit per class letter (g $ l s h z x e t d n m) plus the K (keyspace) and E (keyevent) channels. */
export const NotifyFlag = {
  keyspace: 1 << 0, // K
  keyevent: 1 << 1, // E
  generic: 1 << 2, // g
  string: 1 << 3, // $
  list: 1 << 4, // l
  set: 1 << 5, // s
  hash: 1 << 6, // h
  zset: 1 << 7, // z
  expired: 1 << 8, // x
  evicted: 1 << 9, // e
  stream: 1 << 10, // t
  keyMiss: 1 << 11, // m
  module: 1 << 12, // d
  newKey: 1 << 13, // n
} as const;

/** The classes "A" stands for (Redis's NOTIFY_ALL: not m and not n). */
const ALL = NotifyFlag.generic | NotifyFlag.string | NotifyFlag.list | NotifyFlag.set | NotifyFlag.hash |
  NotifyFlag.zset | NotifyFlag.expired | NotifyFlag.evicted | NotifyFlag.stream | NotifyFlag.module;

/** Letters in the order Redis prints them (classes, then channels and key-miss). */
const CLASS_LETTERS: [string, number][] = [
  ["g", NotifyFlag.generic], ["$", NotifyFlag.string], ["l", NotifyFlag.list], ["s", NotifyFlag.set],
  ["h", NotifyFlag.hash], ["z", NotifyFlag.zset], ["x", NotifyFlag.expired], ["e", NotifyFlag.evicted],
  ["t", NotifyFlag.stream], ["d", NotifyFlag.module], ["n", NotifyFlag.newKey],
];
const TRAILING_LETTERS: [string, number][] = [["K", NotifyFlag.keyspace], ["E", NotifyFlag.keyevent], ["m", NotifyFlag.keyMiss]];
const BY_LETTER = new Map<string, number>([["A", ALL], ...CLASS_LETTERS, ...TRAILING_LETTERS]);

/** Parses a flags string ("KEA", "Kx$"); null when it has a letter Redis does not know. */
export function parseKeyspaceEvents(flags: string): number | null {
  let bits = 0;
  for (const ch of flags) {
    const bit = BY_LETTER.get(ch);
    if (bit === undefined) return null;
    bits |= bit;
  }
  return bits;
}

/** Prints flags as Redis does: "A" when every class is on (then n is not shown), then K, E, m. */
export function formatKeyspaceEvents(bits: number): string {
  let out = "";
  if ((bits & ALL) === ALL) out = "A";
  else for (const [letter, bit] of CLASS_LETTERS) if (bits & bit) out += letter;
  for (const [letter, bit] of TRAILING_LETTERS) if (bits & bit) out += letter;
  return out;
}

// RedisError: the one exception commands throw to answer with an error reply.
// The message is the full Redis error line ("ERR ...", "WRONGTYPE ..."), byte-identical to Redis.

export class RedisError extends Error {
  constructor(message: string) {
    super(message);
  }
}

/** Throws an error reply; the message must start with its Redis error code (ERR, WRONGTYPE, ...). */
export function fail(message: string): never {
  throw new RedisError(message);
}

export const Errors = {
  wrongType: "WRONGTYPE Operation against a key holding the wrong kind of value",
  notInteger: "ERR value is not an integer or out of range",
  notFloat: "ERR value is not a valid float",
  syntax: "ERR syntax error",
  noSuchKey: "ERR no such key",
  overflow: "ERR increment or decrement would overflow",
  outOfRangeIndex: "ERR index out of range",
  noAuth: "NOAUTH Authentication required.",
  wrongPass: "WRONGPASS invalid username-password pair or user is disabled.",
  invalidExpire: (cmd: string) => `ERR invalid expire time in '${cmd}' command`,
  wrongArgs: (cmd: string) => `ERR wrong number of arguments for '${cmd}' command`,
  unknownSubcommand: (sub: string, cmd: string) =>
    `ERR unknown subcommand '${sub}'. Try ${cmd.toUpperCase()} HELP.`,
  dbIndexOutOfRange: "ERR DB index is out of range",
  oom: "OOM command not allowed when used memory > 'maxmemory'.",
} as const;

// Redis-suite units Restash passes with zero failures; run by redis-suite.test.ts in `npm test`.
export const PASSING_UNITS: string[] = [
  "unit/keyspace",
  "unit/expire",
  "unit/scan",
  "unit/quit",
  "unit/info-command",
  "unit/type/incr",
  "unit/type/set",
  "unit/type/zset",
  "unit/type/list-2",
  "unit/pubsub",
];

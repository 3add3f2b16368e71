// Redis-suite units Restash passes with zero failures; run by redis-suite.test.ts in `npm test`.
export const PASSING_UNITS: string[] = [];

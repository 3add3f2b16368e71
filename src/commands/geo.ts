// Geo commands: GEOADD GEODIST GEOHASH GEOPOS GEOSEARCH GEOSEARCHSTORE GEORADIUS(_RO)
// GEORADIUSBYMEMBER(_RO). A geo set is a sorted set whose scores are 52-bit geohashes (see
// engine/types/geo.ts); searches scan the score ranges of the geohash cells around the center,
// in Redis's order, so unsorted and ANY results come out as Redis returns them.

import { Errors, fail } from "../errors.js";
import type { Database } from "../engine/database.js";
import {
  distanceIfWithin, GEO_LAT_MAX, GEO_LAT_MIN, GEO_LONG_MAX, GEO_LONG_MIN, geoDistance, geohashString, geoScore, type GeoShape,
  scorePosition, searchSpans,
} from "../engine/types/geo.js";
import { ZSetValue, zsetLimits } from "../engine/types/zset.js";
import { array, bulk, double, EMPTY_ARRAY, int, NIL, NIL_ARRAY, ZERO, type Reply } from "../protocol/reply.js";
import type { Session } from "../server/session.js";
import { is, parseDouble, parseInteger } from "./args.js";
import { storeResult } from "./sets.js";
import type { CommandSpec } from "./types.js";

function getZset(db: Database, key: string): ZSetValue | undefined {
  return db.get<ZSetValue>(key, "zset");
}

// ---- Arguments ----

/** C's "%f". */
function fixed6(d: number): string {
  return Number.isFinite(d) ? d.toFixed(6) : d > 0 ? "inf" : d < 0 ? "-inf" : "nan";
}

/** A longitude/latitude pair inside the geohash limits. */
function parseLonLat(lonArg: string, latArg: string): [number, number] {
  const lon = parseDouble(lonArg);
  const lat = parseDouble(latArg);
  if (lon < GEO_LONG_MIN || lon > GEO_LONG_MAX || lat < GEO_LAT_MIN || lat > GEO_LAT_MAX) {
    fail(`ERR invalid longitude,latitude pair ${fixed6(lon)},${fixed6(lat)}`);
  }
  return [lon, lat];
}

const UNITS: Record<string, number> = { m: 1, km: 1000, ft: 0.3048, mi: 1609.34 };

/** Meters per unit. */
function parseUnit(arg: string): number {
  const meters = UNITS[arg.toLowerCase()];
  if (meters === undefined) fail("ERR unsupported unit provided. please use M, KM, FT, MI");
  return meters;
}

/** A non-negative size: radius, width or height. */
function parseSize(arg: string, what: string, negative: string): number {
  const n = parseDouble(arg, `ERR need numeric ${what}`);
  if (n < 0) fail(negative);
  return n;
}

/** The position of a member of the geo set, or the "could not decode" error. */
function memberPosition(z: ZSetValue, member: string): [number, number] {
  const score = z.score(member);
  if (score === undefined) fail("ERR could not decode requested zset member");
  return scorePosition(score);
}

/** "%.4f", as Redis prints distances. */
function distanceReply(meters: number): Reply {
  return bulk(meters.toFixed(4));
}

/** A coordinate as Redis's human long double form: "%.17Lf" without trailing zeros (a double in RESP3). */
function coordinateReply(ctx: Session, d: number): Reply {
  if (ctx.resp === 3) return double(d);
  let s = d.toFixed(17);
  s = s.replace(/\.?0+$/, "");
  return bulk(s === "-0" ? "0" : s);
}

// ---- GEOADD ----

function geoadd(ctx: Session, [key, ...args]: string[]): Reply {
  let nx = false, xx = false, ch = false;
  let i = 0;
  for (; i < args.length; i++) {
    if (is(args[i], "nx")) nx = true;
    else if (is(args[i], "xx")) xx = true;
    else if (is(args[i], "ch")) ch = true;
    else break;
  }
  if ((args.length - i) % 3 !== 0 || (nx && xx)) fail(Errors.syntax);
  const points: [string, number][] = [];
  for (; i < args.length; i += 3) {
    const [lon, lat] = parseLonLat(args[i], args[i + 1]);
    points.push([args[i + 2], geoScore(lon, lat)]);
  }
  const db = ctx.db;
  const existing = getZset(db, key);
  if (existing === undefined && xx) return ZERO;
  const z = existing ?? new ZSetValue();
  const limits = zsetLimits(ctx.server.config);
  let added = 0, updated = 0;
  for (const [member, score] of points) {
    const current = z.score(member);
    if (current === undefined ? xx : nx || current === score) continue;
    z.set(member, score, limits);
    if (current === undefined) added++;
    else updated++;
  }
  if (added + updated > 0) {
    if (existing === undefined) db.set(key, "zset", z);
    else db.modified(key);
    db.notify("z", "zadd", key);
    db.signalReady(key);
  }
  return int(ch ? added + updated : added);
}

// ---- Searches ----

type Variant = "georadius" | "georadiusbymember" | "geosearch" | "geosearchstore";

interface Found {
  member: string;
  score: number;
  lon: number;
  lat: number;
  dist: number;
}

interface SearchOptions {
  withDist: boolean;
  withHash: boolean;
  withCoord: boolean;
  sort: "none" | "asc" | "desc";
  any: boolean;
  count: number;
  store: string | null;
  storeDist: boolean;
}

/** The members inside the shape, scanning its cells in order and stopping at `limit` (0 = all). */
function findInShape(z: ZSetValue, shape: GeoShape, limit: number): Found[] {
  const found: Found[] = [];
  for (const span of searchSpans(shape)) {
    if (limit > 0 && found.length >= limit) break;
    for (const { member, score } of z.rangeByScore({ min: span.min, max: span.max, minEx: false, maxEx: true }, false)) {
      const [lon, lat] = scorePosition(score);
      const dist = distanceIfWithin(shape, lon, lat);
      if (dist !== null) found.push({ member, score, lon, lat, dist });
      if (limit > 0 && found.length >= limit) break;
    }
  }
  return found;
}

function foundReply(ctx: Session, f: Found, o: SearchOptions, conversion: number): Reply {
  if (!o.withDist && !o.withHash && !o.withCoord) return bulk(f.member);
  const item: Reply[] = [bulk(f.member)];
  if (o.withDist) item.push(distanceReply(f.dist / conversion));
  if (o.withHash) item.push(int(f.score));
  if (o.withCoord) item.push(array([coordinateReply(ctx, f.lon), coordinateReply(ctx, f.lat)]));
  return array(item);
}

/**
 * GEORADIUS, GEORADIUSBYMEMBER (noStore: their _RO forms), GEOSEARCH and GEOSEARCHSTORE: the
 * argument rules, checks and their order as Redis's georadiusGeneric.
 */
function search(ctx: Session, variant: Variant, args: string[], noStore: boolean): Reply {
  const db = ctx.db;
  const storeVariant = variant === "geosearchstore";
  const srcKey = storeVariant ? args[1] : args[0];
  const z = getZset(db, srcKey);
  const isSearch = variant === "geosearch" || storeVariant;
  const shape: GeoShape = { lon: 0, lat: 0, radius: 0, width: 0, height: 0, byBox: false, conversion: 1 };
  let base: number;
  if (variant === "georadius") {
    [shape.lon, shape.lat] = parseLonLat(args[1], args[2]);
    shape.radius = parseSize(args[3], "radius", "ERR radius cannot be negative");
    shape.conversion = parseUnit(args[4]);
    base = 5;
  } else if (variant === "georadiusbymember") {
    if (z !== undefined) {
      [shape.lon, shape.lat] = memberPosition(z, args[1]);
      shape.radius = parseSize(args[2], "radius", "ERR radius cannot be negative");
      shape.conversion = parseUnit(args[3]);
    }
    base = 4;
  } else {
    base = storeVariant ? 2 : 1;
  }

  const o: SearchOptions = { withDist: false, withHash: false, withCoord: false, sort: "none", any: false, count: 0, store: storeVariant ? args[0] : null, storeDist: false };
  let fromMember = false, fromLonLat = false, byRadius = false, byBox = false;
  for (let i = base; i < args.length; i++) {
    const arg = args[i];
    const left = args.length - i - 1;
    if (is(arg, "withdist")) o.withDist = true;
    else if (is(arg, "withhash")) o.withHash = true;
    else if (is(arg, "withcoord")) o.withCoord = true;
    else if (is(arg, "any")) o.any = true;
    else if (is(arg, "asc")) o.sort = "asc";
    else if (is(arg, "desc")) o.sort = "desc";
    else if (is(arg, "count") && left >= 1) {
      o.count = parseInteger(args[++i]);
      if (o.count <= 0) fail("ERR COUNT must be > 0");
    } else if ((is(arg, "store") || is(arg, "storedist")) && left >= 1 && !noStore && !isSearch) {
      o.store = args[++i];
      o.storeDist = is(arg, "storedist");
    } else if (is(arg, "storedist") && storeVariant) {
      o.storeDist = true;
    } else if (is(arg, "frommember") && left >= 1 && isSearch && !fromLonLat) {
      if (z !== undefined) [shape.lon, shape.lat] = memberPosition(z, args[i + 1]);
      fromMember = true;
      i++;
    } else if (is(arg, "fromlonlat") && left >= 2 && isSearch && !fromMember) {
      [shape.lon, shape.lat] = parseLonLat(args[i + 1], args[i + 2]);
      fromLonLat = true;
      i += 2;
    } else if (is(arg, "byradius") && left >= 2 && isSearch && !byBox) {
      shape.radius = parseSize(args[i + 1], "radius", "ERR radius cannot be negative");
      shape.conversion = parseUnit(args[i + 2]);
      shape.byBox = false;
      byRadius = true;
      i += 2;
    } else if (is(arg, "bybox") && left >= 3 && isSearch && !byRadius) {
      shape.width = parseSize(args[i + 1], "width", "ERR height or width cannot be negative");
      shape.height = parseSize(args[i + 2], "height", "ERR height or width cannot be negative");
      shape.conversion = parseUnit(args[i + 3]);
      shape.byBox = true;
      byBox = true;
      i += 3;
    } else fail(Errors.syntax);
  }

  if (o.store !== null && (o.withDist || o.withHash || o.withCoord)) {
    fail(`ERR ${storeVariant ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS"} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`);
  }
  if (isSearch && !fromMember && !fromLonLat) fail(`ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${variant}`);
  if (isSearch && !byRadius && !byBox) fail(`ERR exactly one of BYRADIUS and BYBOX can be specified for ${variant}`);
  if (o.any && o.count === 0) fail("ERR the ANY argument requires COUNT argument");

  if (z === undefined) {
    if (o.store === null) return EMPTY_ARRAY;
    if (db.delete(o.store)) db.notify("g", "del", o.store);
    return ZERO;
  }
  // COUNT without ANY means the nearest ones.
  if (o.count !== 0 && o.sort === "none" && !o.any) o.sort = "asc";
  const found = findInShape(z, shape, o.any ? o.count : 0);
  if (o.sort === "asc") found.sort((a, b) => a.dist - b.dist);
  else if (o.sort === "desc") found.sort((a, b) => b.dist - a.dist);
  const returned = o.count === 0 ? found : found.slice(0, o.count);

  if (o.store === null) return array(returned.map((f) => foundReply(ctx, f, o, shape.conversion)));
  const limits = zsetLimits(ctx.server.config);
  const result = new ZSetValue();
  for (const f of returned) result.set(f.member, o.storeDist ? f.dist / shape.conversion : f.score, limits);
  const reply = storeResult(db, o.store, "zset", result, "z", isSearch ? "geosearchstore" : "georadiusstore");
  if (result.size > 0) db.signalReady(o.store);
  return reply;
}

/** Key positions of GEORADIUS[BYMEMBER]: the source, and the STORE/STOREDIST destination if any. */
function radiusKeys(argv: string[]): number[] {
  let store = -1;
  for (let i = 5; i < argv.length - 1; i++) {
    if (is(argv[i], "store") || is(argv[i], "storedist")) store = ++i;
  }
  return store === -1 ? [1] : [1, store];
}

// ---- The command table ----

const ONE_KEY = { first: 1, last: 1, step: 1 };
const SEARCH_COMPLEXITY = "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape";

/** A geo-group command. */
function cmd(spec: Omit<CommandSpec, "group" | "categories">): CommandSpec {
  return { group: "geo", categories: ["geo"], ...spec };
}

/** GEORADIUS / GEORADIUSBYMEMBER and their read-only forms. */
function radiusCommand(name: string, variant: Variant, readOnly: boolean): CommandSpec {
  const byMember = variant === "georadiusbymember";
  const center = byMember ? "member" : "longitude latitude";
  return cmd({
    name, arity: byMember ? -5 : -6, flags: readOnly ? ["readonly"] : ["write", "denyoom"],
    ...(readOnly ? { keys: ONE_KEY } : { findKeys: radiusKeys }),
    since: readOnly ? "3.2.10" : "3.2.0",
    syntax: `key ${center} radius <M | KM | FT | MI> [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC | DESC]${readOnly ? "" : " [STORE key | STOREDIST key]"}`,
    summary: byMember
      ? `Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member${readOnly ? ". Read-only variant of GEORADIUSBYMEMBER" : ""}`
      : `Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point${readOnly ? ". Read-only variant of GEORADIUS" : ""}`,
    complexity: SEARCH_COMPLEXITY,
    run: (ctx, args) => search(ctx, variant, args, readOnly),
  });
}

export const geo: CommandSpec[] = [
  cmd({
    name: "geoadd", arity: -5, flags: ["write", "denyoom"], keys: ONE_KEY, since: "3.2.0",
    syntax: "key [NX | XX] [CH] longitude latitude member [longitude latitude member ...]",
    summary: "Add one or more geospatial items in the geospatial index represented using a sorted set",
    complexity: "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
    run: geoadd,
  }),
  cmd({
    name: "geodist", arity: -4, flags: ["readonly"], keys: ONE_KEY, since: "3.2.0", syntax: "key member1 member2 [M | KM | FT | MI]",
    summary: "Returns the distance between two members of a geospatial index",
    complexity: "O(log(N))",
    run(ctx, [key, member1, member2, ...rest]) {
      if (rest.length > 1) fail(Errors.syntax);
      const toMeters = rest.length === 1 ? parseUnit(rest[0]) : 1;
      const z = getZset(ctx.db, key);
      const score1 = z?.score(member1);
      const score2 = z?.score(member2);
      if (score1 === undefined || score2 === undefined) return NIL;
      const [lon1, lat1] = scorePosition(score1);
      const [lon2, lat2] = scorePosition(score2);
      return distanceReply(geoDistance(lon1, lat1, lon2, lat2) / toMeters);
    },
  }),
  cmd({
    name: "geohash", arity: -2, flags: ["readonly"], keys: ONE_KEY, since: "3.2.0", syntax: "key [member [member ...]]",
    summary: "Returns members of a geospatial index as standard geohash strings",
    complexity: "O(log(N)) for each member requested, where N is the number of elements in the sorted set.",
    run(ctx, [key, ...members]) {
      const z = getZset(ctx.db, key);
      return array(members.map((m) => {
        const score = z?.score(m);
        return score === undefined ? NIL : bulk(geohashString(score));
      }));
    },
  }),
  cmd({
    name: "geopos", arity: -2, flags: ["readonly"], keys: ONE_KEY, since: "3.2.0", syntax: "key [member [member ...]]",
    summary: "Returns longitude and latitude of members of a geospatial index",
    complexity: "O(N) where N is the number of members requested.",
    run(ctx, [key, ...members]) {
      const z = getZset(ctx.db, key);
      return array(members.map((m) => {
        const score = z?.score(m);
        if (score === undefined) return NIL_ARRAY;
        const [lon, lat] = scorePosition(score);
        return array([coordinateReply(ctx, lon), coordinateReply(ctx, lat)]);
      }));
    },
  }),
  radiusCommand("georadius", "georadius", false),
  radiusCommand("georadius_ro", "georadius", true),
  radiusCommand("georadiusbymember", "georadiusbymember", false),
  radiusCommand("georadiusbymember_ro", "georadiusbymember", true),
  cmd({
    name: "geosearch", arity: -7, flags: ["readonly"], keys: ONE_KEY, since: "6.2.0",
    syntax: "key <FROMMEMBER member | FROMLONLAT longitude latitude> <BYRADIUS radius <M | KM | FT | MI> | BYBOX width height <M | KM | FT | MI>> [ASC | DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH]",
    summary: "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.",
    complexity: SEARCH_COMPLEXITY,
    run: (ctx, args) => search(ctx, "geosearch", args, false),
  }),
  cmd({
    name: "geosearchstore", arity: -8, flags: ["write", "denyoom"], keys: { first: 1, last: 2, step: 1 }, since: "6.2.0",
    syntax: "destination source <FROMMEMBER member | FROMLONLAT longitude latitude> <BYRADIUS radius <M | KM | FT | MI> | BYBOX width height <M | KM | FT | MI>> [ASC | DESC] [COUNT count [ANY]] [STOREDIST]",
    summary: "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.",
    complexity: SEARCH_COMPLEXITY,
    run: (ctx, args) => search(ctx, "geosearchstore", args, false),
  }),
];

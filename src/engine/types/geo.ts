// Geo positions as Redis stores them in sorted sets: a member's score is the 52-bit geohash of its
// position (26 bits of latitude in the even bits, 26 of longitude in the odd ones, latitudes
// limited to ±85.05112878 as in EPSG:3857). This module owns that encoding and the search plan of
// GEOSEARCH/GEORADIUS: which score ranges (the geohash box around the center and its 8
// neighbours, at a precision chosen from the search size) may hold matches, and the exact
// distance/shape test of each candidate, all with Redis's own arithmetic so results agree.

export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
const STEP_MAX = 26;
const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;
const D_R = Math.PI / 180.0;
const TWO_32 = 2 ** 32;

/** A geohash cell: integer cell coordinates at a precision of `step` bits each (step 0 = none). */
interface GeoHash {
  lat: number;
  lon: number;
  step: number;
}

interface Range {
  min: number;
  max: number;
}

/** A search area: a circle of `radius` or a width × height box, around (lon, lat); sizes in `conversion` units (meters per unit). */
export interface GeoShape {
  lon: number;
  lat: number;
  radius: number;
  width: number;
  height: number;
  byBox: boolean;
  conversion: number;
}

const LON_RANGE: Range = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
const LAT_RANGE: Range = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };
/** The standard geohash ranges, for GEOHASH strings. */
const STANDARD_LAT_RANGE: Range = { min: -90, max: 90 };

// ---- Bit interleaving on 32-bit halves ----

/** The 16 low bits of x spread to the even bits of a 32-bit number. */
function spread16(x: number): number {
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  x = (x | (x << 1)) & 0x55555555;
  return x;
}

/** The even bits of a 32-bit number packed into 16 bits. */
function compact16(x: number): number {
  x &= 0x55555555;
  x = (x | (x >>> 1)) & 0x33333333;
  x = (x | (x >>> 2)) & 0x0f0f0f0f;
  x = (x | (x >>> 4)) & 0x00ff00ff;
  return (x | (x >>> 8)) & 0x0000ffff;
}

/** Latitude bits in the even positions, longitude bits in the odd ones. */
function interleave(lat: number, lon: number): number {
  const lo = (spread16(lat & 0xffff) | (spread16(lon & 0xffff) << 1)) >>> 0;
  const hi = (spread16(lat >>> 16) | (spread16(lon >>> 16) << 1)) >>> 0;
  return hi * TWO_32 + lo;
}

/** The 64-bit pattern a score stands for (as C's cast to uint64_t of an in-range double). */
function scoreBits(score: number): GeoHash {
  const bits = score > 0 ? Math.min(Math.floor(score), 2 ** 64 - 1) : 0;
  const lo = bits % TWO_32;
  const hi = Math.floor(bits / TWO_32);
  return {
    lat: compact16(lo) + compact16(hi) * 0x10000,
    lon: compact16(lo >>> 1) + compact16(hi >>> 1) * 0x10000,
    step: STEP_MAX,
  };
}

// ---- Encoding and decoding ----

function encode(lon: number, lat: number, step: number, latRange: Range = LAT_RANGE): GeoHash {
  const latOffset = ((lat - latRange.min) / (latRange.max - latRange.min)) * 2 ** step;
  const lonOffset = ((lon - LON_RANGE.min) / (LON_RANGE.max - LON_RANGE.min)) * 2 ** step;
  return { lat: Math.floor(latOffset), lon: Math.floor(lonOffset), step };
}

/** The interleaved bits of a cell. */
function hashBits(h: GeoHash): number {
  return interleave(h.lat, h.lon);
}

/** The longitude and latitude bounds of a cell. */
function decodeArea(h: GeoHash): { lon: Range; lat: Range } {
  const cells = 2 ** h.step;
  const latScale = LAT_RANGE.max - LAT_RANGE.min;
  const lonScale = LON_RANGE.max - LON_RANGE.min;
  return {
    lat: { min: LAT_RANGE.min + (h.lat / cells) * latScale, max: LAT_RANGE.min + ((h.lat + 1) / cells) * latScale },
    lon: { min: LON_RANGE.min + (h.lon / cells) * lonScale, max: LON_RANGE.min + ((h.lon + 1) / cells) * lonScale },
  };
}

function clamp(x: number, r: Range): number {
  return x > r.max ? r.max : x < r.min ? r.min : x;
}

/** The sorted set score of a position (validated to lie within the GEO_* limits). */
export function geoScore(lon: number, lat: number): number {
  return hashBits(encode(lon, lat, STEP_MAX));
}

/** The position (center of its cell) a score stands for, as [longitude, latitude]. */
export function scorePosition(score: number): [number, number] {
  const area = decodeArea(scoreBits(score));
  return [clamp((area.lon.min + area.lon.max) / 2, LON_RANGE), clamp((area.lat.min + area.lat.max) / 2, LAT_RANGE)];
}

const GEOALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz";

/** The standard 11-character geohash of the position a score stands for (GEOHASH). */
export function geohashString(score: number): string {
  const [lon, lat] = scorePosition(score);
  const bits = hashBits(encode(lon, lat, STEP_MAX, STANDARD_LAT_RANGE));
  let out = "";
  // 52 bits make 10 characters; the 11th is always "0", as Redis pads it.
  for (let i = 0; i < 10; i++) out += GEOALPHABET[Math.floor(bits / 2 ** (52 - (i + 1) * 5)) % 32];
  return out + "0";
}

// ---- Distances ----

function degRad(deg: number): number {
  return deg * D_R;
}

function radDeg(rad: number): number {
  return rad / D_R;
}

/** Great-circle distance in meters (haversine, Earth as a sphere). */
export function geoDistance(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const lat1r = degRad(lat1);
  const lon1r = degRad(lon1);
  const lat2r = degRad(lat2);
  const lon2r = degRad(lon2);
  const u = Math.sin((lat2r - lat1r) / 2);
  const v = Math.sin((lon2r - lon1r) / 2);
  return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v));
}

/** The distance in meters from the shape's center to (lon, lat) if the point is inside the shape, else null. */
export function distanceIfWithin(shape: GeoShape, lon: number, lat: number): number | null {
  if (!shape.byBox) {
    const distance = geoDistance(shape.lon, shape.lat, lon, lat);
    return distance > shape.radius * shape.conversion ? null : distance;
  }
  const lonDistance = geoDistance(lon, lat, shape.lon, lat);
  const latDistance = geoDistance(lon, lat, lon, shape.lat);
  if (lonDistance > (shape.width * shape.conversion) / 2 || latDistance > (shape.height * shape.conversion) / 2) return null;
  return geoDistance(shape.lon, shape.lat, lon, lat);
}

// ---- The search plan ----

/** Geohash precision whose cells are about the size of the search (fewer bits near the poles). */
function estimateSteps(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2;
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  return Math.min(26, Math.max(1, step));
}

/** The longitude and latitude bounds of the shape (the box's wider edge, by hemisphere). */
function boundingBox(shape: GeoShape): { lon: Range; lat: Range } {
  const height = shape.conversion * (shape.byBox ? shape.height / 2 : shape.radius);
  const width = shape.conversion * (shape.byBox ? shape.width / 2 : shape.radius);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const lonDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(shape.lat + latDelta)));
  const lonDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(shape.lat - latDelta)));
  const lonDelta = shape.lat < 0 ? lonDeltaBottom : lonDeltaTop;
  return { lon: { min: shape.lon - lonDelta, max: shape.lon + lonDelta }, lat: { min: shape.lat - latDelta, max: shape.lat + latDelta } };
}

/** A neighbouring cell, moved by dLon/dLat cells (wrapping around). */
function neighbour(h: GeoHash, dLon: number, dLat: number): GeoHash {
  const cells = 2 ** h.step;
  return {
    lon: dLon === 0 ? h.lon : (((h.lon + dLon) % cells) + cells) % cells,
    lat: dLat === 0 ? h.lat : (((h.lat + dLat) % cells) + cells) % cells,
    step: h.step,
  };
}

const NONE: GeoHash = { lat: 0, lon: 0, step: 0 };

/**
 * The cells to search for a shape, in Redis's order: the center's cell, then north, south, east,
 * west, north-east, north-west, south-east, south-west (NONE for those the shape cannot reach).
 */
function searchCells(shape: GeoShape): GeoHash[] {
  const bounds = boundingBox(shape);
  const radius = shape.byBox ? Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2)) : shape.radius;
  let steps = estimateSteps(radius * shape.conversion, shape.lat);
  let cell = encode(shape.lon, shape.lat, steps);
  // A coarser precision when a side neighbour does not reach the edge of the search area.
  const north = decodeArea(neighbour(cell, 0, 1));
  const south = decodeArea(neighbour(cell, 0, -1));
  const east = decodeArea(neighbour(cell, 1, 0));
  const west = decodeArea(neighbour(cell, -1, 0));
  const tooSmall = north.lat.max < bounds.lat.max || south.lat.min > bounds.lat.min || east.lon.max < bounds.lon.max || west.lon.min > bounds.lon.min;
  if (steps > 1 && tooSmall) {
    steps--;
    cell = encode(shape.lon, shape.lat, steps);
  }
  const area = decodeArea(cell);
  // Drop the neighbours on the sides the search area does not reach.
  const skipSouth = steps >= 2 && area.lat.min < bounds.lat.min;
  const skipNorth = steps >= 2 && area.lat.max > bounds.lat.max;
  const skipWest = steps >= 2 && area.lon.min < bounds.lon.min;
  const skipEast = steps >= 2 && area.lon.max > bounds.lon.max;
  const at = (dLon: number, dLat: number) =>
    (dLat > 0 && skipNorth) || (dLat < 0 && skipSouth) || (dLon > 0 && skipEast) || (dLon < 0 && skipWest) ? NONE : neighbour(cell, dLon, dLat);
  return [cell, at(0, 1), at(0, -1), at(1, 0), at(-1, 0), at(1, 1), at(-1, 1), at(1, -1), at(-1, -1)];
}

/** A half-open score interval [min, max). */
export interface ScoreSpan {
  min: number;
  max: number;
}

/**
 * The score intervals to scan for a shape, in order: one per cell to search, skipping cells that
 * repeat the previously scanned one (huge radiuses make neighbours coincide).
 */
export function searchSpans(shape: GeoShape): ScoreSpan[] {
  const cells = searchCells(shape);
  const spans: ScoreSpan[] = [];
  let last = 0;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (c.step === 0) continue;
    // As Redis, the comparison is with the last scanned cell, but never with the center's.
    const prev = cells[last];
    if (last !== 0 && c.lat === prev.lat && c.lon === prev.lon && c.step === prev.step) continue;
    const scale = 2 ** (52 - c.step * 2);
    const bits = hashBits(c);
    spans.push({ min: bits * scale, max: (bits + 1) * scale });
    last = i;
  }
  return spans;
}

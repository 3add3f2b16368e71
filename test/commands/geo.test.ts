import { test } from "node:test";
import assert from "node:assert/strict";
import { recordEvents, testServer, type TestClient } from "../helpers/in-process.js";

// Expected scores, coordinates and distances were taken from redis-server 7.0.15.

const SYNTAX = /^Error: ERR syntax error$/;

function sicily(client: TestClient, key = "Sicily"): void {
  client.call("geoadd", key, 13.361389, 38.115556, "Palermo", 15.087269, 37.502669, "Catania");
}

function nyc(client: TestClient): void {
  client.call(
    "geoadd", "nyc", -73.9454966, 40.747533, "lic market", -73.9733487, 40.7648057, "central park n/q/r",
    -73.9903085, 40.7362513, "union square", -74.0131604, 40.7126674, "wtc one", -73.7858139, 40.6428986, "jfk",
    -73.9375699, 40.7498929, "q4", -73.9564142, 40.7480973, "4545",
  );
}

test("GEOADD stores 52-bit geohash scores in a sorted set", () => {
  const { client } = testServer();
  nyc(client);
  assert.deepEqual(client.call("zrange", "nyc", 0, -1, "withscores"), [
    "wtc one", 1791873972053020, "union square", 1791875485187452, "central park n/q/r", 1791875761332224,
    "4545", 1791875796750882, "lic market", 1791875804419201, "q4", 1791875830079666, "jfk", 1791895905559723,
  ]);
  assert.equal(client.call("type", "nyc"), "zset");
});

test("GEOADD NX XX CH options and errors", () => {
  const { client, server } = testServer();
  const events = recordEvents(server);
  assert.equal(client.call("geoadd", "g", -73.9454966, 40.747533, "m"), 1);
  assert.equal(client.call("geoadd", "g", -73.9454966, 40.747533, "m"), 0);
  assert.equal(client.call("geoadd", "g", "CH", 40.747533, -73.9454966, "m"), 1);
  assert.equal(client.call("geoadd", "g", "ch", "nx", -73.9454966, 40.747533, "m"), 0);
  assert.equal(client.call("geoadd", "g", "xx", "ch", -73.9454966, 40.747533, "m", 1, 2, "new"), 1);
  assert.equal(client.call("zcard", "g"), 1);
  assert.equal(client.call("geoadd", "missing", "xx", 1, 2, "a"), 0);
  assert.equal(client.call("exists", "missing"), 0);
  assert.throws(() => client.call("geoadd", "g", "xx", "nx", 1, 2, "a"), SYNTAX);
  assert.throws(() => client.call("geoadd", "g", "ch", "xx", "foo", 1, 2, "a"), SYNTAX);
  assert.throws(() => client.call("geoadd", "g", 1, 2, "a", "foo", "bar", "b"), /^Error: ERR value is not a valid float$/);
  assert.throws(() => client.call("geoadd", "g", 200, 100, "a"), /^Error: ERR invalid longitude,latitude pair 200\.000000,100\.000000$/);
  assert.throws(() => client.call("geoadd", "g", 1, 86, "a"), /^Error: ERR invalid longitude,latitude pair 1\.000000,86\.000000$/);
  client.call("set", "s", "x");
  assert.throws(() => client.call("geoadd", "s", 1, 2, "a"), /^Error: WRONGTYPE/);
  assert.deepEqual(events, ["z:zadd:g", "z:zadd:g", "z:zadd:g", "$:set:s"]);
});

test("GEOPOS GEOHASH GEODIST", () => {
  const { client } = testServer();
  sicily(client);
  assert.deepEqual(client.call("geopos", "Sicily", "Palermo", "nope"), [["13.36138933897018433", "38.11555639549629859"], null]);
  assert.deepEqual(client.call("geopos", "missing", "a"), [null]);
  assert.deepEqual(client.call("geohash", "Sicily", "Palermo", "Catania", "nope"), ["sqc8b49rny0", "sqdtr74hyu0", null]);
  client.call("geoadd", "points", -5.6, 42.6, "test");
  assert.deepEqual(client.call("geohash", "points", "test"), ["ezs42e44yx0"]);
  assert.equal(client.call("geodist", "Sicily", "Palermo", "Catania"), "166274.1516");
  assert.equal(client.call("geodist", "Sicily", "Palermo", "Catania", "KM"), "166.2742");
  assert.equal(client.call("geodist", "Sicily", "Palermo", "Palermo"), "0.0000");
  assert.equal(client.call("geodist", "Sicily", "Palermo", "Agrigento"), null);
  assert.equal(client.call("geodist", "missing", "Palermo", "Catania"), null);
  assert.throws(() => client.call("geodist", "Sicily", "Palermo", "Catania", "yards"), /^Error: ERR unsupported unit provided\. please use M, KM, FT, MI$/);
  assert.throws(() => client.call("geodist", "Sicily", "Palermo", "Catania", "km", "x"), SYNTAX);
});

test("GEOPOS answers doubles in RESP3", () => {
  const { client } = testServer();
  sicily(client);
  client.call("hello", 3);
  assert.deepEqual(client.call("geopos", "Sicily", "Palermo"), [[13.361389338970184, 38.1155563954963]]);
});

test("GEORADIUS sorting, WITHDIST WITHCOORD WITHHASH, COUNT and ANY", () => {
  const { client } = testServer();
  nyc(client);
  assert.deepEqual(client.call("georadius", "nyc", -73.9798091, 40.7598464, 3, "km", "asc"), ["central park n/q/r", "4545", "union square"]);
  assert.deepEqual(client.call("georadius", "nyc", -73.9798091, 40.7598464, 3, "km", "withdist", "asc"), [
    ["central park n/q/r", "0.7750"], ["4545", "2.3651"], ["union square", "2.7697"],
  ]);
  assert.deepEqual(client.call("georadius", "nyc", -73.9798091, 40.7598464, 10, "km", "COUNT", 3), ["central park n/q/r", "4545", "union square"]);
  assert.deepEqual(client.call("georadius", "nyc", -73.9798091, 40.7598464, 10, "km", "COUNT", 3, "ANY"), ["wtc one", "union square", "central park n/q/r"]);
  assert.deepEqual(client.call("georadius", "nyc", -73.9798091, 40.7598464, 10, "km", "COUNT", 2, "DESC"), ["wtc one", "q4"]);
  assert.deepEqual(client.call("georadiusbymember", "nyc", "wtc one", 7, "km"), ["wtc one", "union square", "central park n/q/r", "4545", "lic market"]);
  const [withAll] = client.call("georadius", "nyc", -74.0131604, 40.7126674, 1, "m", "withcoord", "withhash", "withdist") as unknown[][];
  assert.deepEqual(withAll, ["wtc one", "0.1832", 1791873972053020, ["-74.01316255331039429", "40.71266718145121644"]]);
  assert.deepEqual(client.call("georadius", "nyc", 0, 0, 1, "km"), []);
});

test("GEOSEARCH by box and radius, from a member or a position", () => {
  const { client } = testServer();
  nyc(client);
  assert.deepEqual(client.call("geosearch", "nyc", "fromlonlat", -73.9798091, 40.7598464, "bybox", 6, 6, "km", "asc"), [
    "central park n/q/r", "4545", "union square", "lic market",
  ]);
  assert.deepEqual(client.call("geosearch", "nyc", "frommember", "wtc one", "bybox", 14, 14, "km"), [
    "wtc one", "union square", "central park n/q/r", "4545", "lic market", "q4",
  ]);
  sicily(client);
  client.call("geoadd", "Sicily", 12.758489, 38.788135, "edge1", 17.24151, 38.788135, "eage2");
  assert.deepEqual(client.call("georadius", "Sicily", 15, 37, 200, "km", "asc"), ["Catania", "Palermo"]);
  assert.deepEqual(client.call("geosearch", "Sicily", "fromlonlat", 15, 37, "bybox", 400, 400, "km", "asc"), ["Catania", "Palermo", "eage2", "edge1"]);
  client.call("geoadd", "points", 179.5, 36, "point1", -179.5, 36, "point2");
  assert.deepEqual(client.call("geosearch", "points", "fromlonlat", 179, 37, "bybox", 400, 400, "km", "asc"), ["point1", "point2"]);
});

test("search argument errors", () => {
  const { client } = testServer();
  sicily(client);
  const search = (...args: (string | number)[]) => client.call("geosearch", "Sicily", ...args);
  assert.throws(() => search("fromlonlat", 15, 37, "frommember", "Palermo", "bybox", 1, 1, "km"), SYNTAX);
  assert.throws(() => search("bybox", 3, 3, "km", "asc", "withdist"), /^Error: ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for geosearch$/);
  assert.throws(() => search("fromlonlat", 15, 37, "asc", "withhash"), /^Error: ERR exactly one of BYRADIUS and BYBOX can be specified for geosearch$/);
  assert.throws(() => search("fromlonlat", 15, 37, "byradius", 3, "km", "bybox", 3, 3, "km"), SYNTAX);
  assert.throws(() => search("fromlonlat", 15, 37, "bybox", 6, 6, "km", "storedist"), SYNTAX);
  assert.throws(() => search("frommember", "nope", "bybox", 6, 6, "km"), /^Error: ERR could not decode requested zset member$/);
  assert.throws(() => search("fromlonlat", 15, 37, "bybox", -1, 6, "km"), /^Error: ERR height or width cannot be negative$/);
  assert.throws(() => search("fromlonlat", 15, 37, "bybox", "w", 6, "km"), /^Error: ERR need numeric width$/);
  assert.throws(() => client.call("georadius", "Sicily", 15, 37, -1, "km"), /^Error: ERR radius cannot be negative$/);
  assert.throws(() => client.call("georadius", "Sicily", 15, 37, 1, "km", "count", 0), /^Error: ERR COUNT must be > 0$/);
  assert.throws(() => client.call("georadius", "Sicily", 15, 37, 1, "km", "any"), /^Error: ERR the ANY argument requires COUNT argument$/);
  assert.throws(() => client.call("georadius", "Sicily", 15, 37, 1, "km", "count"), SYNTAX);
  assert.throws(() => client.call("georadius", "Sicily", 15, 37, 1, "km", "store"), SYNTAX);
  assert.throws(() => client.call("georadius_ro", "Sicily", 15, 37, 1, "km", "store", "x"), SYNTAX);
  assert.throws(
    () => client.call("georadius", "Sicily", 15, 37, 1, "km", "store", "x", "withdist"),
    /^Error: ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options$/,
  );
  assert.throws(() => client.call("georadiusbymember", "Sicily", "nope", 1, "km"), /^Error: ERR could not decode requested zset member$/);
  client.call("set", "s", "x");
  assert.throws(() => client.call("geosearch", "s", "fromlonlat", 0, 0, "byradius", 1, "km"), /^Error: WRONGTYPE/);
});

test("a missing source key answers empty, or stores nothing and deletes the destination", () => {
  const { client } = testServer();
  assert.deepEqual(client.call("georadius", "missing", 1, 1, 1, "km"), []);
  assert.deepEqual(client.call("georadiusbymember", "missing", "m", "bad", "units"), []);
  assert.deepEqual(client.call("geosearch", "missing", "frommember", "m", "bybox", 1, 1, "km"), []);
  client.call("set", "dest", "x");
  assert.equal(client.call("geosearchstore", "dest", "missing", "fromlonlat", 0, 0, "byradius", 1, "km"), 0);
  assert.equal(client.call("exists", "dest"), 0);
});

test("STORE, STOREDIST and GEOSEARCHSTORE", () => {
  const { client, server } = testServer();
  sicily(client);
  const events = recordEvents(server);
  assert.equal(client.call("georadius", "Sicily", 15, 37, 200, "km", "storedist", "d"), 2);
  assert.deepEqual(client.call("zrange", "d", 0, -1, "withscores"), ["Catania", 56.441257870158204, "Palermo", 190.44242984775784]);
  assert.equal(client.call("georadiusbymember", "Sicily", "Palermo", 500, "km", "store", "d2"), 2);
  assert.deepEqual(client.call("zrange", "d2", 0, -1), ["Palermo", "Catania"]);
  assert.equal(client.call("zscore", "d2", "Palermo"), client.call("zscore", "Sicily", "Palermo"));
  assert.equal(client.call("geosearchstore", "d3", "Sicily", "fromlonlat", 15, 37, "byradius", 200, "km", "count", 1, "storedist"), 1);
  assert.deepEqual(client.call("zrange", "d3", 0, -1), ["Catania"]);
  assert.throws(
    () => client.call("geosearchstore", "d3", "Sicily", "fromlonlat", 15, 37, "byradius", 200, "km", "withcoord"),
    /^Error: ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options$/,
  );
  assert.equal(client.call("georadius", "Sicily", 0, 0, 1, "km", "store", "d"), 0);
  assert.equal(client.call("exists", "d"), 0);
  assert.deepEqual(events, ["z:georadiusstore:d", "z:georadiusstore:d2", "z:geosearchstore:d3", "g:del:d"]);
});

test("key extraction of GEORADIUS keeps the last STORE/STOREDIST destination", () => {
  const { client } = testServer();
  assert.deepEqual(client.call("command", "getkeys", "georadius", "src", 0, 0, 1, "km", "store", "a", "storedist", "b"), ["src", "b"]);
  assert.deepEqual(client.call("command", "getkeys", "georadiusbymember", "src", "m", 1, "km"), ["src"]);
  assert.deepEqual(client.call("command", "getkeys", "geosearchstore", "dst", "src", "frommember", "m", "bybox", 1, 1, "km"), ["dst", "src"]);
});

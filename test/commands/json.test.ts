import { test } from "node:test";
import assert from "node:assert/strict";
import { ReplyError, recordEvents, testServer, type TestClient } from "../helpers/in-process.js";

/** Asserts that a command fails with exactly this error text. */
function fails(client: TestClient, message: string, ...argv: (string | number)[]): void {
  assert.throws(
    () => client.call(...argv),
    (e: unknown) => {
      assert.ok(e instanceof ReplyError);
      assert.equal(e.message, message);
      return true;
    },
  );
}

/** JSON.GET's reply parsed back (for readable assertions on structure). */
function get(client: TestClient, key: string, ...paths: string[]): unknown {
  const raw = client.call("json.get", key, ...paths);
  return raw === null ? null : JSON.parse(raw as string);
}

/** The RedisJSON documentation's example store. */
const STORE = JSON.stringify({
  inventory: {
    headphones: [
      { id: 12345, name: "Noise-cancelling Bluetooth headphones", wireless: true, connection: "Bluetooth", price: 99.98, stock: 25, "free-shipping": false, colors: ["black", "silver"] },
      { id: 12346, name: "Wireless earbuds", wireless: true, connection: "Bluetooth", price: 64.99, stock: 17, "free-shipping": false, colors: ["black", "white"] },
      { id: 12347, name: "Mic headset", wireless: false, connection: "USB", price: 35.01, stock: 28, "free-shipping": false },
    ],
    keyboards: [
      { id: 22345, name: "Wireless keyboard", wireless: true, connection: "Bluetooth", price: 44.99, stock: 23, "free-shipping": false, colors: ["black", "silver"] },
      { id: 22346, name: "USB-C keyboard", wireless: false, connection: "USB-C", price: 29.99, stock: 30, "free-shipping": false },
    ],
  },
});

function store(): TestClient {
  const { client } = testServer();
  assert.equal(client.call("json.set", "store", "$", STORE), "OK");
  return client;
}

const NO_KEY = "ERR could not perform this operation on a key that doesn't exist";

test("JSON.SET and JSON.GET of whole documents", () => {
  const { client } = testServer();
  assert.equal(client.call("json.set", "doc", "$", '{"a":1, "b" : [true,null,"x"]}'), "OK");
  assert.equal(client.call("json.get", "doc"), '{"a":1,"b":[true,null,"x"]}');
  assert.equal(client.call("json.get", "doc", "."), '{"a":1,"b":[true,null,"x"]}');
  assert.equal(client.call("json.get", "doc", "$"), '[{"a":1,"b":[true,null,"x"]}]');
  assert.equal(client.call("json.get", "missing"), null);
  assert.equal(client.call("json.set", "scalar", ".", '"text"'), "OK");
  assert.equal(client.call("json.get", "scalar"), '"text"');
  assert.equal(client.call("type", "doc"), "ReJSON-RL");
  assert.equal(client.call("object", "encoding", "doc"), "raw");
  assert.equal(client.call("exists", "doc"), 1);
});

test("JSON.SET paths, NX and XX", () => {
  const { client } = testServer();
  client.call("json.set", "doc", "$", '{"a":{"b":1},"arr":[1,2]}');
  assert.equal(client.call("json.set", "doc", "$.a.b", "2"), "OK");
  assert.equal(client.call("json.set", "doc", "$.a.c", "3"), "OK");
  assert.equal(client.call("json.set", "doc", ".x", "[]"), "OK");
  assert.equal(client.call("json.set", "doc", "$.arr[-1]", '"last"'), "OK");
  assert.equal(client.call("json.get", "doc"), '{"a":{"b":2,"c":3},"arr":[1,"last"],"x":[]}');
  // A missing parent: nothing is written.
  assert.equal(client.call("json.set", "doc", "$.none.deeper", "1"), null);
  assert.equal(client.call("json.set", "doc", "$.a.b", "9", "NX"), null);
  assert.equal(client.call("json.set", "doc", "$.a.new", "9", "nx"), "OK");
  assert.equal(client.call("json.set", "doc", "$.a.other", "9", "XX"), null);
  assert.equal(client.call("json.set", "doc", "$.a.b", "8", "XX"), "OK");
  assert.equal(client.call("json.set", "doc", "$", "1", "NX"), null);
  assert.equal(client.call("json.set", "new", "$", "1", "XX"), null);
  assert.equal(client.call("json.set", "new", "$", "1", "NX"), "OK");
  assert.equal(client.call("json.get", "doc", "$.a"), '[{"b":8,"c":3,"new":9}]');
  // Every match of a JSONPath is set.
  client.call("json.set", "multi", "$", '{"f1":{"a":1},"f2":{"a":2},"f3":{"b":1}}');
  assert.equal(client.call("json.set", "multi", "$..a", "3"), "OK");
  assert.equal(client.call("json.get", "multi"), '{"f1":{"a":3},"f2":{"a":3},"f3":{"b":1}}');
  // Adding keys needs a static path (one that names one location).
  fails(client, "Err wrong static path", "json.set", "multi", "$.*.c", '"n"');
});

test("JSON.SET errors", () => {
  const { client } = testServer();
  fails(client, "ERR new objects must be created at the root", "json.set", "doc", "$.a", "1");
  fails(client, "ERR new objects must be created at the root", "json.set", "doc", ".a", "1", "NX");
  client.call("json.set", "doc", "$", '{"arr":[1]}');
  fails(client, "Err wrong static path", "json.set", "doc", "$..x", "1");
  fails(client, "Err wrong static path", "json.set", "doc", "$.arr[*]", "1", "NX");
  fails(client, "ERR array index out of range", "json.set", "doc", "$.arr[5]", "1");
  fails(client, "ERR array index out of range", "json.set", "doc", "$.nothing[0]", "1");
  fails(client, "ERR syntax error", "json.set", "doc", "$", "1", "NX", "XX");
  fails(client, "ERR syntax error", "json.set", "doc", "$", "1", "XY");
  fails(client, "ERR wrong format", "json.set", "doc", "$", "1", "FORMAT", "json");
  fails(client, "ERR wrong number of arguments for 'json.set' command", "json.set", "doc", "$");
  fails(client, "ERR wrong number of arguments for 'json.set' command", "json.set", "doc", "$", "1", "FORMAT");
  assert.equal(client.call("json.set", "doc", "$", "1", "FORMAT", "JSON"), "OK");
  client.call("set", "str", "x");
  fails(client, "Existing key has wrong Redis type", "json.set", "str", "$", "1");
  fails(client, "Existing key has wrong Redis type", "json.get", "str");
  fails(client, "WRONGTYPE Operation against a key holding the wrong kind of value", "get", "doc");
});

test("JSON syntax errors are serde_json's", () => {
  const { client } = testServer();
  const cases: [string, string][] = [
    ["", "EOF while parsing a value at line 1 column 0"],
    ["hello", "expected value at line 1 column 1"],
    ["nul", "EOF while parsing a value at line 1 column 3"],
    ["tru e", "expected ident at line 1 column 4"],
    ["[1,2", "EOF while parsing a list at line 1 column 4"],
    ["[1,]", "trailing comma at line 1 column 4"],
    ["[1 2]", "expected `,` or `]` at line 1 column 4"],
    ['{"a" 1}', "expected `:` at line 1 column 6"],
    ["{a:1}", "key must be a string at line 1 column 2"],
    ['{"a":1,}', "trailing comma at line 1 column 8"],
    ['{"a":1 "b":2}', "expected `,` or `}` at line 1 column 8"],
    ["01", "invalid number at line 1 column 2"],
    ["-x", "invalid number at line 1 column 2"],
    ["1.", "EOF while parsing a value at line 1 column 2"],
    ["1.e5", "invalid number at line 1 column 3"],
    ["1e", "EOF while parsing a value at line 1 column 2"],
    ["1e400", "number out of range at line 1 column 5"],
    ["1 2", "trailing characters at line 1 column 3"],
    ['"abc', "EOF while parsing a string at line 1 column 4"],
    ['"a\\qb"', "invalid escape at line 1 column 4"],
    ['"\\u12G4"', "invalid escape at line 1 column 6"],
    ['"\\udc00"', "lone leading surrogate in hex escape at line 1 column 7"],
    ['"a\tb"', "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 3"],
    ['[\n  1,\n  x]', "expected value at line 3 column 3"],
  ];
  for (const [text, message] of cases) fails(client, message, "json.set", "k", "$", text);
  fails(client, "recursion limit exceeded at line 1 column 128", "json.set", "k", "$", "[".repeat(128) + "]".repeat(128));
  assert.equal(client.call("json.set", "k", "$", "[".repeat(127) + "]".repeat(127)), "OK");
  fails(client, "Couldn't parse as UTF-8 string", "json.set", "k", "$", '"\xff"');
  assert.equal(client.call("exists", "k"), 1);
});

test("numbers keep their kind: int64 integers, floats printed shortest", () => {
  const { client } = testServer();
  const input = "[0, -0, 1.0, 1e2, 1E-7, 0.1, 0.30000000000000004, 1.5e300, 123456789012345678, -9223372036854775808, 18446744073709551615, 0.000001, 0.00001, 1e15, 1e16, 12.5e-1]";
  client.call("json.set", "n", "$", input);
  assert.equal(
    client.call("json.get", "n"),
    "[0,-0.0,1.0,100.0,1e-7,0.1,0.30000000000000004,1.5e300,123456789012345678,-9223372036854775808,18446744073709551615,1e-6,0.00001,1000000000000000.0,1e16,1.25]",
  );
  assert.deepEqual(client.call("json.type", "n", "$[0,2,9,10]"), ["integer", "number", "integer", "integer"]);
});

test("UTF-8 text round-trips; lengths count bytes", () => {
  const { client } = testServer();
  const utf8 = (s: string) => Buffer.from(s, "utf8").toString("latin1");
  client.call("json.set", "u", "$", utf8('{"name":"héllo ✓ 😀","esc":"\\u00e9\\ud83d\\ude00\\n\\u0001"}'));
  assert.equal(client.call("json.get", "u", ".name"), utf8('"héllo ✓ 😀"'));
  assert.equal(client.call("json.get", "u", ".esc"), utf8('"é😀\\n\\u0001"'));
  assert.equal(client.call("json.strlen", "u", ".name"), Buffer.byteLength("héllo ✓ 😀"));
  assert.deepEqual(client.call("json.strappend", "u", "$.name", utf8('"ü"')), [Buffer.byteLength("héllo ✓ 😀ü")]);
  client.call("json.set", "u", utf8("$['clé']"), '"v"');
  assert.deepEqual(client.call("json.objkeys", "u"), ["name", "esc", utf8("clé")]);
  assert.equal(client.call("json.get", "u", utf8('$["clé"]')), '["v"]');
});

test("JSONPath selectors", () => {
  const client = store();
  const cases: [string, unknown][] = [
    ["$.inventory.headphones[0].id", [12345]],
    ["$['inventory'][\"keyboards\"][1].id", [22346]],
    ["$.inventory.*[0].id", [12345, 22345]],
    ["$.inventory.headphones[*].id", [12345, 12346, 12347]],
    ["$.inventory.headphones[-1].id", [12347]],
    ["$.inventory.headphones[-10].id", [12345]],
    ["$.inventory.headphones[5].id", []],
    ["$.inventory.headphones[0,2,0].id", [12345, 12347, 12345]],
    ["$.inventory.headphones[1:].id", [12346, 12347]],
    ["$.inventory.headphones[:2].id", [12345, 12346]],
    ["$.inventory.headphones[::2].id", [12345, 12347]],
    ["$.inventory.headphones[-2:3].id", [12346, 12347]],
    ["$.inventory.headphones[2:1].id", []],
    ["$..headphones[*].name", ["Noise-cancelling Bluetooth headphones", "Wireless earbuds", "Mic headset"]],
    ["$..name", ["Noise-cancelling Bluetooth headphones", "Wireless earbuds", "Mic headset", "Wireless keyboard", "USB-C keyboard"]],
    ["$..[0].id", [12345, 22345]],
    ["$..colors[*]", ["black", "silver", "black", "white", "black", "silver"]],
    ['$.inventory["headphones","keyboards"][0].id', [12345, 22345]],
    ["$.inventory.headphones[?(@.price<70&&@.wireless==true)].id", [12346]],
    ['$.inventory.*[?(@.connection=="Bluetooth")].id', [12345, 12346, 22345]],
    ["$.inventory.*[?(@.connection != 'Bluetooth')].id", [12347, 22346]],
    ['$.inventory.keyboards[?(@.connection =~ "(?i)usb")].id', [22346]],
    ['$.inventory.*[?(@.name =~ "^Wireless")].id', [12346, 22345]],
    ["$.inventory.headphones[?(@.colors)].id", [12345, 12346]],
    ["$.inventory.headphones[?(@.stock >= 25 || @.price == 64.99)].id", [12345, 12346, 12347]],
    ["$.inventory.headphones[?(@.id == 12345 || @.id == 12347 && @.wireless == false)].id", [12345, 12347]],
    ["$.inventory.headphones[?((@.id == 12345 || @.id == 12347) && @.wireless == false)].id", [12347]],
    ['$.inventory.headphones[?(@.colors[*] == "white")].id', [12346]],
    ["$..[?(@.stock > $.inventory.headphones[0].stock)].id", [12347, 22346]],
    ['$..*[?(@ == "USB")]', ["USB"]],
    ["$.inventory.headphones[0][?(@ == true)]", [true]],
    ["$.inventory. headphones [ 1 ] .id", [12346]],
    ["$.nothing", []],
    ["$.inventory.headphones.id", []],
  ];
  for (const [path, expected] of cases) assert.deepEqual(get(client, "store", path), expected, path);
});

test("JSONPath syntax errors", () => {
  const client = store();
  fails(client, `Error occurred on position 4, "$.x. <<<<----", expected one of the following: <string>, '*', '['.`, "json.get", "store", "$.x.");
  assert.throws(() => client.call("json.get", "store", "$["), /^Error: Error occurred on position 2, "\$\[ <<<<----", expected one of the following: /);
  assert.throws(() => client.call("json.get", "store", "$.a[0:3:0]"), /^Error: Error occurred on position 8, "\$\.a\[0:3: ---->>>> 0\]"/);
  assert.throws(() => client.call("json.get", "store", "$[?(@.a =)]"), /^Error: Error occurred on position/);
});

test("legacy paths answer with the first match and their own errors", () => {
  const client = store();
  assert.equal(client.call("json.get", "store", ".inventory.headphones[1].id"), "12346");
  assert.equal(client.call("json.get", "store", "inventory.keyboards[-1].id"), "22346");
  assert.equal(client.call("json.get", "store", "['inventory'][\"keyboards\"][0].id"), "22345");
  assert.equal(client.call("json.get", "store", "..id"), "12345");
  fails(client, "ERR Path '$.nothing' does not exist", "json.get", "store", ".nothing");
  fails(client, "ERR Path '$.inventory.x' does not exist", "json.get", "store", "inventory.x");
});

test("JSON.GET with several paths and formatting", () => {
  const { client } = testServer();
  client.call("json.set", "doc", "$", '{"a":2,"b":3,"nested":{"a":4,"b":null}}');
  assert.equal(client.call("json.get", "doc", "$..a", "$..b"), '{"$..a":[2,4],"$..b":[3,null]}');
  assert.equal(client.call("json.get", "doc", ".a", "nested.b"), '{".a":2,"nested.b":null}');
  // One JSONPath makes every path answer with arrays.
  assert.equal(client.call("json.get", "doc", ".a", "$.b"), '{".a":[2],"$.b":[3]}');
  assert.equal(client.call("json.get", "doc", "$.a", "$.x"), '{"$.a":[2],"$.x":[]}');
  fails(client, "ERR Path '.x' does not exist", "json.get", "doc", ".a", ".x");
  assert.equal(
    client.call("json.get", "doc", "INDENT", "\t", "NEWLINE", "\n", "SPACE", " ", "."),
    '{\n\t"a": 2,\n\t"b": 3,\n\t"nested": {\n\t\t"a": 4,\n\t\t"b": null\n\t}\n}',
  );
  assert.equal(client.call("json.get", "doc", "SPACE", "_", "$.nested"), '[{"a":_4,"b":_null}]');
  assert.equal(client.call("json.get", "doc", "indent", "--", "newline", "|", "$..*"), "[|--2,|--3,|--{|----\"a\":4,|----\"b\":null|--},|--4,|--null|]");
  client.call("json.set", "empty", "$", '{"o":{},"a":[]}');
  assert.equal(client.call("json.get", "empty", "INDENT", " ", "NEWLINE", "\n"), '{\n "o":{},\n "a":[]\n}');
  assert.equal(client.call("json.get", "doc", "NOESCAPE", "$.a"), "[2]");
  fails(client, "ERR wrong number of arguments for 'json.get' command", "json.get", "doc", "INDENT");
  fails(client, "ERR FORMAT argument is not supported on RESP2", "json.get", "doc", "FORMAT", "EXPAND");
});

test("JSON.MGET and JSON.MSET", () => {
  const { client } = testServer();
  assert.equal(client.call("json.mset", "a", "$", '{"n":1}', "b", "$", '{"n":2,"m":[]}'), "OK");
  client.call("set", "str", "x");
  assert.deepEqual(client.call("json.mget", "a", "b", "missing", "str", "$.n"), ["[1]", "[2]", null, null]);
  assert.deepEqual(client.call("json.mget", "a", "b", ".m"), [null, "[]"]);
  assert.deepEqual(client.call("json.mget", "a", "b", "$["), [null, null]);
  assert.equal(client.call("json.mset", "a", "$.n", "10", "b", "$.m", "[1]", "c", ".", "true"), "OK");
  assert.deepEqual(client.call("json.mget", "a", "b", "c", "$"), ['[{"n":10}]', '[{"n":2,"m":[1]}]', "[true]"]);
  // Nothing is written when one triple is invalid.
  fails(client, "ERR new objects must be created at the root", "json.mset", "a", "$.n", "11", "d", "$.x", "1");
  fails(client, "expected value at line 1 column 1", "json.mset", "a", "$.n", "11", "b", "$.n", "oops");
  fails(client, "Existing key has wrong Redis type", "json.mset", "a", "$.n", "11", "str", "$", "1");
  fails(client, "ERR wrong number of arguments for 'json.mset' command", "json.mset", "a", "$", "1", "b");
  assert.equal(client.call("json.get", "a", "$.n"), "[10]");
});

test("JSON.MERGE (RFC 7396)", () => {
  const { client } = testServer();
  client.call("json.set", "doc", "$", '{"a":2,"keep":{"x":1,"y":2}}');
  assert.equal(client.call("json.merge", "doc", "$.b", "8"), "OK");
  assert.equal(client.call("json.merge", "doc", "$.a", "3"), "OK");
  assert.equal(client.call("json.merge", "doc", "$", '{"keep":{"x":null,"z":{"deep":null,"v":1}},"arr":[1,2]}'), "OK");
  // Removing "x" moved "y" into its place; "z" was appended.
  assert.equal(client.call("json.get", "doc"), '{"a":3,"keep":{"y":2,"z":{"v":1}},"b":8,"arr":[1,2]}');
  assert.equal(client.call("json.merge", "doc", "$.arr", "[3]"), "OK");
  assert.equal(client.call("json.merge", "doc", "$.none.x", "1"), null);
  assert.equal(client.call("json.merge", "doc", "$", '{"a":null,"b":null,"keep":null,"arr":null}'), "OK");
  assert.equal(client.call("json.get", "doc"), "{}");
  assert.equal(client.call("json.merge", "fresh", "$", '{"a":null}'), "OK");
  assert.equal(client.call("json.get", "fresh"), '{"a":null}');
  fails(client, "ERR new objects must be created at the root", "json.merge", "other", "$.a", "1");
  client.call("json.set", "multi", "$", '{"f1":{"a":1},"f2":{"a":2}}');
  assert.equal(client.call("json.merge", "multi", "$..a", '{"v":true}'), "OK");
  assert.equal(client.call("json.get", "multi"), '{"f1":{"a":{"v":true}},"f2":{"a":{"v":true}}}');
});

test("JSON.DEL and JSON.FORGET", () => {
  const { client } = testServer();
  client.call("json.set", "doc", "$", '{"a":1,"b":{"a":2,"c":[{"a":3},4]},"d":5}');
  assert.equal(client.call("json.del", "doc", "$..a"), 3);
  // Removing a key moves the last key into its place, as RedisJSON's objects do.
  assert.equal(client.call("json.get", "doc"), '{"d":5,"b":{"c":[{},4]}}');
  assert.equal(client.call("json.del", "doc", "$.b.c[*]"), 2);
  assert.equal(client.call("json.forget", "doc", ".d"), 1);
  assert.equal(client.call("json.del", "doc", "$.nothing"), 0);
  assert.equal(client.call("json.get", "doc"), '{"b":{"c":[]}}');
  // Matches inside other matches are not counted twice.
  client.call("json.set", "nest", "$", '{"x":{"x":{"x":1}}}');
  assert.equal(client.call("json.del", "nest", "$..x"), 1);
  assert.equal(client.call("json.get", "nest"), "{}");
  assert.equal(client.call("json.del", "doc"), 1);
  assert.equal(client.call("exists", "doc"), 0);
  assert.equal(client.call("json.del", "doc"), 0);
  client.call("json.set", "arr", "$", "[0,1,2,3,4,5]");
  assert.equal(client.call("json.del", "arr", "$[1,3,5]"), 3);
  assert.equal(client.call("json.get", "arr"), "[0,2,4]");
});

test("JSON.TYPE", () => {
  const client = store();
  assert.equal(client.call("json.type", "store"), "object");
  assert.equal(client.call("json.type", "store", ".inventory.headphones[0].price"), "number");
  assert.equal(client.call("json.type", "store", ".nothing"), null);
  assert.deepEqual(client.call("json.type", "store", "$.inventory.headphones[0].*"), ["integer", "string", "boolean", "string", "number", "integer", "boolean", "array"]);
  assert.deepEqual(client.call("json.type", "store", "$.nothing"), []);
  assert.equal(client.call("json.type", "missing", "$"), null);
  client.call("json.set", "n", "$", "null");
  assert.equal(client.call("json.type", "n"), "null");
});

test("JSON.NUMINCRBY and JSON.NUMMULTBY", () => {
  const { client } = testServer();
  client.call("json.set", "doc", "$", '{"a":"b","b":[{"a":2},{"a":5},{"a":"c"}],"i":9223372036854775807,"f":1.5}');
  assert.equal(client.call("json.numincrby", "doc", "$.a", "2"), "[null]");
  assert.equal(client.call("json.numincrby", "doc", "$..a", "2"), "[null,4,7,null]");
  assert.equal(client.call("json.numincrby", "doc", "$.b[0].a", "0.5"), "[4.5]");
  assert.equal(client.call("json.nummultby", "doc", "$.b[1].a", "2"), "[14]");
  assert.equal(client.call("json.nummultby", "doc", "$.b[1].a", "1.0"), "[14.0]");
  assert.equal(client.call("json.numincrby", "doc", "$.i", "1"), "[-9223372036854775808]");
  assert.equal(client.call("json.numincrby", "doc", ".f", "1"), "2.5");
  assert.equal(client.call("json.nummultby", "doc", "f", "-2"), "-5.0");
  assert.equal(client.call("json.numincrby", "doc", "$.nothing", "1"), "[]");
  assert.equal(client.call("json.numincrby", "doc", "$.a", "oops"), "[null]");
  fails(client, "ERR expected value at line 1 column 1", "json.numincrby", "doc", "$.f", "oops");
  fails(client, "bad input number", "json.numincrby", "doc", "$.f", '"1"');
  fails(client, "result is not a number", "json.nummultby", "doc", "$.f", "1e308");
  fails(client, "ERR Path '$.a' does not exist or does not contains a number", "json.numincrby", "doc", ".a", "1");
  fails(client, NO_KEY, "json.numincrby", "missing", "$.a", "1");
  assert.equal(client.call("json.get", "doc", "$.f"), "[-5.0]");
});

test("JSON.TOGGLE", () => {
  const { client } = testServer();
  client.call("json.set", "doc", "$", '{"a":true,"b":{"a":false},"c":1}');
  assert.deepEqual(client.call("json.toggle", "doc", "$..a"), [0, 1]);
  assert.deepEqual(client.call("json.toggle", "doc", "$.c"), [null]);
  assert.equal(client.call("json.toggle", "doc", ".a"), "true");
  fails(client, "ERR Path '$.c' does not exist or not a bool", "json.toggle", "doc", ".c");
  fails(client, NO_KEY, "json.toggle", "missing", "$.a");
  assert.equal(client.call("json.get", "doc"), '{"a":true,"b":{"a":true},"c":1}');
});

test("JSON.STRAPPEND and JSON.STRLEN", () => {
  const { client } = testServer();
  client.call("json.set", "doc", "$", '{"a":"foo","b":{"a":"x"},"n":1}');
  assert.deepEqual(client.call("json.strappend", "doc", "$..a", '"baz"'), [6, 4]);
  assert.deepEqual(client.call("json.strappend", "doc", "$.n", '"baz"'), [null]);
  assert.equal(client.call("json.strappend", "doc", ".a", '"!"'), 7);
  assert.deepEqual(client.call("json.strlen", "doc", "$..*"), [7, null, null, 4]);
  assert.equal(client.call("json.strlen", "doc", ".a"), 7);
  assert.equal(client.call("json.strlen", "missing", ".a"), null);
  fails(client, NO_KEY, "json.strlen", "missing", "$.a");
  fails(client, "ERR Path '$.x' does not exist", "json.strlen", "doc", ".x");
  fails(client, "WRONGTYPE wrong type of path value - expected string but found integer", "json.strlen", "doc", ".n");
  fails(client, "WRONGTYPE wrong type of path value - expected string but found 12", "json.strappend", "doc", "$.a", "12");
  fails(client, "ERR expected value at line 1 column 1", "json.strappend", "doc", "$.a", "baz");
  fails(client, "ERR Path '$.n' does not exist or not a string", "json.strappend", "doc", ".n", '"x"');
  client.call("json.set", "s", "$", '"root"');
  assert.equal(client.call("json.strappend", "s", '"!"'), 5);
  assert.equal(client.call("json.get", "s"), '"root!"');
});

test("JSON.ARRAPPEND, JSON.ARRINSERT, JSON.ARRLEN", () => {
  const { client } = testServer();
  client.call("json.set", "doc", "$", '{"a":[1],"b":{"a":[]},"c":"x"}');
  assert.deepEqual(client.call("json.arrappend", "doc", "$..a", "2", '"three"', "{}"), [4, 3]);
  assert.deepEqual(client.call("json.arrappend", "doc", "$.c", "1"), [null]);
  assert.equal(client.call("json.arrappend", "doc", ".a", "null"), 5);
  assert.deepEqual(client.call("json.arrinsert", "doc", "$.a", "0", '"first"'), [6]);
  assert.deepEqual(client.call("json.arrinsert", "doc", "$.a", "-1", '"before-last"', '"also"'), [8]);
  assert.deepEqual(client.call("json.arrinsert", "doc", "$.a", "8", "9"), [9]);
  assert.equal(client.call("json.get", "doc", "$.a"), '[["first",1,2,"three",{},"before-last","also",null,9]]');
  assert.deepEqual(client.call("json.arrlen", "doc", "$..a"), [9, 3]);
  assert.deepEqual(client.call("json.arrlen", "doc", "$.*"), [9, null, null]);
  assert.equal(client.call("json.arrlen", "doc", ".b.a"), 3);
  assert.equal(client.call("json.arrlen", "missing", ".a"), null);
  fails(client, NO_KEY, "json.arrlen", "missing", "$.a");
  fails(client, "ERR Path '.c' does not exist or not an array", "json.arrlen", "doc", ".c");
  fails(client, "ERR Path '.x' does not exist", "json.arrlen", "doc", ".x");
  fails(client, "ERR index out of bounds", "json.arrinsert", "doc", "$.a", "10", "1");
  fails(client, "ERR index out of bounds", "json.arrinsert", "doc", "$.a", "-10", "1");
  fails(client, "Couldn't parse as integer", "json.arrinsert", "doc", "$.a", "x", "1");
  fails(client, "ERR Path '.c' does not exist or not an array", "json.arrappend", "doc", ".c", "1");
  fails(client, "ERR Path '$.c' does not exist or not an array", "json.arrinsert", "doc", ".c", "0", "1");
  fails(client, "expected value at line 1 column 1", "json.arrappend", "missing", "$", "oops");
  fails(client, NO_KEY, "json.arrappend", "missing", "$", "1");
  fails(client, "ERR wrong number of arguments for 'json.arrappend' command", "json.arrappend", "doc", "$.a");
});

test("JSON.ARRINDEX", () => {
  const { client } = testServer();
  client.call("json.set", "doc", "$", '{"a":[1,2,3,2,1.0,{"k":[1]},"2"],"b":{"a":[2]},"c":5}');
  assert.deepEqual(client.call("json.arrindex", "doc", "$..a", "2"), [1, 0]);
  assert.deepEqual(client.call("json.arrindex", "doc", "$.a", "2", "2"), [3]);
  assert.deepEqual(client.call("json.arrindex", "doc", "$.a", "2", "-3"), [-1]);
  assert.deepEqual(client.call("json.arrindex", "doc", "$.a", "2", "0", "3"), [1]);
  assert.deepEqual(client.call("json.arrindex", "doc", "$.a", "3", "0", "-4"), [2]);
  assert.deepEqual(client.call("json.arrindex", "doc", "$.a", "3", "0", "-5"), [-1]);
  assert.deepEqual(client.call("json.arrindex", "doc", "$.a", "3", "3", "1"), [-1]);
  // A start past the end still looks at the last element.
  assert.deepEqual(client.call("json.arrindex", "doc", "$.a", '"2"', "100"), [6]);
  // Integers and floats never match each other; objects match by value.
  assert.deepEqual(client.call("json.arrindex", "doc", "$.a", "1.0"), [4]);
  assert.deepEqual(client.call("json.arrindex", "doc", "$.a", '{"k":[1]}'), [5]);
  assert.deepEqual(client.call("json.arrindex", "doc", "$.c", "5"), [null]);
  assert.equal(client.call("json.arrindex", "doc", ".a", "3"), 2);
  fails(client, "WRONGTYPE wrong type of path value - expected array but found integer", "json.arrindex", "doc", ".c", "5");
  fails(client, "ERR Path '$.x' does not exist", "json.arrindex", "doc", ".x", "5");
  fails(client, "ERR Path '$.a' does not exist", "json.arrindex", "missing", "$.a", "5");
  fails(client, "ERR expected value at line 1 column 1", "json.arrindex", "doc", "$.a", "x");
  fails(client, "Couldn't parse as integer", "json.arrindex", "doc", "$.a", "1", "x");
  fails(client, "ERR wrong number of arguments for 'json.arrindex' command", "json.arrindex", "doc", "$.a", "1", "0", "1", "2");
});

test("JSON.ARRPOP and JSON.ARRTRIM", () => {
  const { client } = testServer();
  client.call("json.set", "doc", "$", '{"a":[1,2,3,4,5,6,7],"b":{"a":[{"x":1}]},"e":[],"s":"x"}');
  assert.deepEqual(client.call("json.arrpop", "doc", "$..a"), ["7", '{"x":1}']);
  assert.deepEqual(client.call("json.arrpop", "doc", "$.a", "0"), ["1"]);
  assert.deepEqual(client.call("json.arrpop", "doc", "$.a", "-2"), ["5"]);
  assert.deepEqual(client.call("json.arrpop", "doc", "$.a", "100"), ["6"]);
  assert.deepEqual(client.call("json.arrpop", "doc", "$.e"), [null]);
  assert.deepEqual(client.call("json.arrpop", "doc", "$.s"), [null]);
  assert.equal(client.call("json.arrpop", "doc", ".a", "1"), "3");
  assert.equal(client.call("json.arrpop", "doc", ".e"), null);
  assert.equal(client.call("json.get", "doc", "$.a"), "[[2,4]]");
  fails(client, "ERR Path '$.s' does not exist or not an array", "json.arrpop", "doc", ".s");
  fails(client, "ERR FORMAT argument is not supported on RESP2", "json.arrpop", "doc", "FORMAT", "EXPAND", "$.a");
  client.call("json.set", "root", "$", '["a","b"]');
  assert.equal(client.call("json.arrpop", "root"), '"b"');

  client.call("json.set", "t", "$", '{"a":[0,1,2,3,4,5,6,7,8,9],"b":{"a":[1,2]},"c":1}');
  assert.deepEqual(client.call("json.arrtrim", "t", "$..a", "1", "3"), [3, 1]);
  assert.equal(client.call("json.get", "t", "$..a"), "[[1,2,3],[2]]");
  assert.deepEqual(client.call("json.arrtrim", "t", "$.a", "-2", "-1"), [2]);
  assert.deepEqual(client.call("json.arrtrim", "t", "$.a", "5", "10"), [0]);
  assert.deepEqual(client.call("json.arrtrim", "t", "$.c", "0", "1"), [null]);
  client.call("json.set", "t", "$.a", "[0,1,2,3]");
  assert.equal(client.call("json.arrtrim", "t", ".a", "1", "100"), 3);
  assert.equal(client.call("json.arrtrim", "t", ".a", "2", "1"), 0);
  fails(client, "ERR Path '$.c' does not exist or not an array", "json.arrtrim", "t", ".c", "0", "1");
  fails(client, "Couldn't parse as integer", "json.arrtrim", "t", "$.a", "0", "x");
  fails(client, NO_KEY, "json.arrtrim", "missing", "$.a", "0", "1");
});

test("nested array edits apply deepest and last first", () => {
  const { client } = testServer();
  client.call("json.set", "doc", "$", '{"a":[[1,2,3],[4,5,6]]}');
  // Matches: a, then a's items a[0] and a[1], then their numbers. a[1] and a[0] lose their
  // first element before a does.
  assert.deepEqual(client.call("json.arrpop", "doc", "$..*", "0"), ["[2,3]", "1", "4", null, null, null, null, null, null]);
  assert.equal(client.call("json.get", "doc"), '{"a":[[5,6]]}');
  client.call("json.set", "doc", "$", '[[1],[2]]');
  assert.deepEqual(client.call("json.arrinsert", "doc", "$..*", "0", '"x"'), [2, 2, null, null]);
  assert.equal(client.call("json.get", "doc"), '[["x",1],["x",2]]');
});

test("JSON.OBJKEYS and JSON.OBJLEN", () => {
  const { client } = testServer();
  client.call("json.set", "doc", "$", '{"a":[3],"nested":{"a":{"b":2,"c":1}},"e":{}}');
  assert.deepEqual(client.call("json.objkeys", "doc", "$..a"), [null, ["b", "c"]]);
  assert.deepEqual(client.call("json.objkeys", "doc"), ["a", "nested", "e"]);
  assert.deepEqual(client.call("json.objkeys", "doc", ".e"), []);
  assert.equal(client.call("json.objkeys", "doc", ".x"), null);
  assert.equal(client.call("json.objkeys", "missing"), null);
  fails(client, "ERR Path '$.a' does not exist or not an object", "json.objkeys", "doc", ".a");
  fails(client, NO_KEY, "json.objkeys", "missing", "$");
  assert.deepEqual(client.call("json.objlen", "doc", "$..a"), [null, 2]);
  assert.equal(client.call("json.objlen", "doc"), 3);
  assert.equal(client.call("json.objlen", "doc", ".x"), null);
  assert.equal(client.call("json.objlen", "missing"), null);
  fails(client, "WRONGTYPE wrong type of path value - expected object but found array", "json.objlen", "doc", ".a");
  fails(client, "ERR Path '$..a' does not exist or not an object", "json.objlen", "missing", "$..a");
});

test("JSON.CLEAR", () => {
  const { client } = testServer();
  client.call("json.set", "doc", "$", '{"obj":{"a":1,"b":2},"arr":[1,2,3],"str":"foo","bool":true,"int":42,"float":3.14,"zero":0,"e":[]}');
  assert.equal(client.call("json.clear", "doc", "$.*"), 4);
  assert.equal(client.call("json.get", "doc"), '{"obj":{},"arr":[],"str":"foo","bool":true,"int":0,"float":0,"zero":0,"e":[]}');
  assert.equal(client.call("json.clear", "doc", "$.*"), 0);
  assert.equal(client.call("json.clear", "doc"), 1);
  assert.equal(client.call("json.get", "doc"), "{}");
  client.call("json.set", "nest", "$", '{"a":{"b":[1],"c":2}}');
  assert.equal(client.call("json.clear", "nest", "$..*"), 1);
  fails(client, NO_KEY, "json.clear", "missing");
});

test("JSON.RESP", () => {
  const { client } = testServer();
  client.call("json.set", "doc", "$", '{"s":"x","n":null,"t":true,"i":17,"f":1.5,"a":[1,"b",{"c":false}]}');
  assert.deepEqual(client.call("json.resp", "doc"), ["{", "s", "x", "n", null, "t", "true", "i", 17, "f", 1.5, "a", ["[", 1, "b", ["{", "c", "false"]]]);
  assert.deepEqual(client.call("json.resp", "doc", "$..c"), ["false"]);
  assert.deepEqual(client.call("json.resp", "doc", ".a[1]"), "b");
  assert.equal(client.call("json.resp", "missing"), null);
  fails(client, "ERR Path '$.x' does not exist", "json.resp", "doc", ".x");
});

test("JSON.DEBUG MEMORY sizes values as RedisJSON does", () => {
  const { client } = testServer();
  client.call(
    "json.set",
    "doc",
    "$",
    '{"a":100.12,"b":"foo","c":true,"d":126,"e":-112,"f":7388608,"g":-6388608,"h":9388608,"i":-9485608,"j":[],"k":{},"l":[1,"asas",{"a":1}],"m":{"t":"f"}}',
  );
  assert.equal(client.call("json.debug", "memory", "doc"), 759);
  assert.deepEqual(client.call("json.debug", "MEMORY", "doc", "$.b"), [11]);
  assert.equal(client.call("json.debug", "memory", "missing"), 0);
  assert.deepEqual(client.call("json.debug", "memory", "missing", "$"), []);
  assert.deepEqual(client.call("json.debug", "help"), ["MEMORY <key> [path] - reports memory usage", "HELP                - this message"]);
  fails(client, "ERR unknown subcommand - try `JSON.DEBUG HELP`", "json.debug", "what");
});

test("RESP3 replies", () => {
  const { client } = testServer();
  client.call("hello", "3");
  client.call("json.set", "doc", "$", '{"a":1,"b":[1.5,"x"],"c":{"d":null}}');
  assert.deepEqual(client.call("json.get", "doc", "FORMAT", "EXPAND", "$.b", "$.c"), [[[1.5, "x"]], [["d", null]]]);
  assert.deepEqual(client.call("json.get", "doc", "FORMAT", "EXPAND1", "$.*"), [[1, '[1.5,"x"]', '{"d":null}']]);
  assert.equal(client.call("json.get", "doc", "FORMAT", "STRING", "$.a"), "[1]");
  fails(client, "ERR wrong reply format", "json.get", "doc", "FORMAT", "expand", "$");
  assert.deepEqual(client.call("json.numincrby", "doc", ".a", "2"), [3]);
  assert.deepEqual(client.call("json.numincrby", "doc", "$.b[0]", "1"), [2.5]);
  assert.deepEqual(client.call("json.type", "doc", "$.a"), [["integer"]]);
  assert.deepEqual(client.call("json.type", "doc"), ["object"]);
  assert.deepEqual(client.call("json.arrpop", "doc", "FORMAT", "EXPAND", "$.b"), ["x"]);
  fails(client, "Legacy paths are supported only with FORMAT STRINGS", "json.arrpop", "doc", "FORMAT", "EXPAND", ".b");
});

test("keyspace events, WATCH, COPY and MULTI", () => {
  const { client, newClient, server } = testServer();
  const events = recordEvents(server);
  client.call("json.set", "doc", "$", '{"a":[1],"n":1}');
  client.call("json.arrappend", "doc", "$.a", "2");
  client.call("json.numincrby", "doc", "$.n", "1");
  client.call("json.set", "doc", "$.x", "1", "XX");
  client.call("json.del", "doc", "$.a");
  client.call("json.del", "doc");
  assert.deepEqual(events, ["d:json.set:doc", "d:json.arrappend:doc", "d:json.numincrby:doc", "d:json.del:doc", "d:json.del:doc"]);

  client.call("json.set", "w", "$", '{"v":1}');
  client.call("watch", "w");
  newClient().call("json.numincrby", "w", "$.v", "1");
  client.call("multi");
  client.call("json.get", "w");
  assert.equal(client.call("exec"), null);

  assert.equal(client.call("copy", "w", "w2"), 1);
  client.call("json.set", "w2", "$.v", "100");
  assert.equal(client.call("json.get", "w", "$.v"), "[2]");
  assert.equal(client.call("json.get", "w2", "$.v"), "[100]");

  client.call("expire", "w", "100");
  client.call("json.set", "w", "$", '{"v":3}');
  assert.ok((client.call("ttl", "w") as number) > 0, "replacing the root keeps the TTL");
});

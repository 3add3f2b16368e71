// The command table of this build: every family file's specs, in one place.

import { CommandTable } from "./table.js";
import { connection } from "./connection.js";
import { client } from "./client.js";
import { keys } from "./keys.js";
import { server } from "./server.js";
import { strings } from "./strings.js";
import { transactions } from "./transactions.js";
import { pubsub } from "./pubsub.js";
import { monitor } from "./monitor.js";
import { lists } from "./lists.js";
import { hashes } from "./hashes.js";
import { scripting } from "./scripting.js";
import { sets } from "./sets.js";
import { zsets } from "./zsets.js";
import { streams } from "./streams.js";
import { bitmaps } from "./bitmaps.js";
import { hyperloglog } from "./hyperloglog.js";
import { geo } from "./geo.js";
import { sorting } from "./sort.js";
import { persistence } from "./persistence.js";
import { json } from "./json.js";

export function createCommandTable(): CommandTable {
  return new CommandTable([connection, client, keys, server, strings, transactions, pubsub, monitor, lists, hashes, scripting, sets, zsets, streams, bitmaps, hyperloglog, geo, sorting, persistence, json]);
}

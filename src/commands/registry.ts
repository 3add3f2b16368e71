// The command table of this build: every family file's specs, in one place.

import { CommandTable } from "./table.js";
import { connection } from "./connection.js";
import { client } from "./client.js";

export function createCommandTable(): CommandTable {
  return new CommandTable([connection, client]);
}

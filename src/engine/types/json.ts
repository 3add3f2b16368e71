// The ReJSON-RL value type (RedisJSON documents). A key's value is a JsonDoc whose root is the
// document; the model, parser, serializer and JSONPath engine live in src/engine/json/. Redis
// stores module values with the "raw" object encoding.

import { cloneValue, JsonDoc } from "../json/value.js";
import type { TypeOps } from "./index.js";

export { JsonDoc } from "../json/value.js";

export const jsonOps: TypeOps = {
  clone: (value) => new JsonDoc(cloneValue((value as JsonDoc).root)),
  encoding: () => "raw",
};

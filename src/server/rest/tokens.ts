// REST tokens: the standard token (every command) and the read-only token of the Upstash REST
// API. Each comes from config (`rest-token`, `rest-readonly-token`, settable at runtime) or, when
// unset, is generated on first start and kept in <dir>/rest-tokens.json so restarts keep working
// URLs. As on Upstash, where the Redis password and the REST token are one secret, the default
// user's password (requirepass, when set) is also accepted as a standard token. Presented tokens
// are compared in constant time.

import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Config } from "../../config.js";
import type { Logger } from "../logger.js";

export type TokenKind = "standard" | "readonly";

interface StoredTokens {
  token?: string;
  readonlyToken?: string;
}

const TOKENS_FILE = "rest-tokens.json";

function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * Whether two strings are equal, in time that depends only on their lengths (the length of a
 * token is not secret): every code unit is compared, without an early exit.
 */
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** A secret read from config (so CONFIG SET applies at once). */
class Secret {
  constructor(private readonly current: () => string) {}

  get value(): string {
    return this.current();
  }

  matches(presented: string): boolean {
    return constantTimeEqual(this.current(), presented);
  }
}

export class TokenStore {
  /** Tokens generated or loaded from the data dir, used when config leaves them empty. */
  private readonly stored: StoredTokens;
  private readonly standard: Secret;
  private readonly readonly: Secret;
  private readonly password: Secret;

  constructor(
    config: Config,
    log: Logger,
  ) {
    const standard = config.param("rest-token");
    const readonly = config.param("rest-readonly-token");
    const password = config.param("requirepass");
    this.standard = new Secret(() => standard.value || this.stored.token!);
    this.readonly = new Secret(() => readonly.value || this.stored.readonlyToken!);
    this.password = new Secret(() => password.value);
    const file = path.resolve(config.get("dir"), TOKENS_FILE);
    this.stored = readStored(file);
    let generated = false;
    if (!this.stored.token) {
      this.stored.token = newToken();
      generated = true;
    }
    if (!this.stored.readonlyToken) {
      this.stored.readonlyToken = newToken();
      generated = true;
    }
    if (generated) {
      try {
        writeFileSync(file, JSON.stringify(this.stored, null, 2) + "\n", { mode: 0o600 });
      } catch (e) {
        log.warn({ file, err: (e as Error).message }, "cannot save the generated REST tokens; they last until restart");
      }
    }
  }

  /** The token apps use for every command. */
  get token(): string {
    return this.standard.value;
  }

  get readonlyToken(): string {
    return this.readonly.value;
  }

  /** Which kind of token was presented, or null when it matches neither. */
  check(presented: string): TokenKind | null {
    // Every comparison takes time that depends only on lengths. A match ends the checks early,
    // which tells the token's holder nothing but its kind; a wrong token is compared with all.
    if (this.standard.matches(presented)) return "standard";
    if (this.password.value !== "" && this.password.matches(presented)) return "standard";
    return this.readonly.matches(presented) ? "readonly" : null;
  }
}

function readStored(file: string): StoredTokens {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return {};
  }
  let parsed: StoredTokens;
  try {
    parsed = JSON.parse(text) as StoredTokens;
  } catch {
    throw new Error(`${file} is not valid JSON: fix or delete it (a new token is then generated)`);
  }
  return {
    token: typeof parsed.token === "string" ? parsed.token : undefined,
    readonlyToken: typeof parsed.readonlyToken === "string" ? parsed.readonlyToken : undefined,
  };
}

/** The token a request presents: `Authorization: Bearer <t>` first, else the `_token` query parameter. */
export function presentedToken(authorization: string | undefined, queryToken: string | undefined): string | undefined {
  if (authorization !== undefined) {
    const space = authorization.indexOf(" ");
    if (space > 0 && authorization.slice(0, space).toLowerCase() === "bearer") return authorization.slice(space + 1).trim();
  }
  return queryToken;
}

// Throwaway TLS material for tests: a CA and a server certificate for 127.0.0.1/localhost, made
// with the openssl command line in a temporary directory.

import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface TestCerts {
  dir: string;
  ca: string;
  cert: string;
  key: string;
}

export function makeCerts(): TestCerts {
  const dir = mkdtempSync(path.join(tmpdir(), "restash-tls-"));
  const f = (name: string) => path.join(dir, name);
  const ssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "ignore" });
  ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Restash Test CA", "-keyout", f("ca.key"), "-out", f("ca.crt"));
  ssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", f("server.key"), "-out", f("server.csr"));
  writeFileSync(f("ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  ssl("x509", "-req", "-in", f("server.csr"), "-CA", f("ca.crt"), "-CAkey", f("ca.key"), "-CAcreateserial", "-days", "2", "-extfile", f("ext.cnf"), "-out", f("server.crt"));
  return { dir, ca: f("ca.crt"), cert: f("server.crt"), key: f("server.key") };
}

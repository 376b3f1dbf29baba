#!/usr/bin/env node
// Development helper for the local issuer.
//   logis-token keys <keys.json>            writes an ES256 key pair once, prints the public JWK
//   logis-token <demo-user> [keys.json]     prints a signed token for a demo user
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { type DemoUser, demoUsers } from "./demo-users.js";
import { createLocalIssuer, generateIssuerKeys, type KeyPairJwk } from "./tokens.js";

const [command, path = ".local/auth/keys.json"] = process.argv.slice(2);

if (command === "keys") {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(await generateIssuerKeys(), null, 2), { mode: 0o600 });
  }
  process.stdout.write(JSON.stringify((JSON.parse(readFileSync(path, "utf8")) as KeyPairJwk).publicJwk));
} else if (command && command in demoUsers) {
  const keys = JSON.parse(readFileSync(path, "utf8")) as KeyPairJwk;
  const issuer = createLocalIssuer({ privateJwk: keys.privateJwk, issuer: "logis-local", audience: "logis" });
  process.stdout.write(`${await issuer.issue(demoUsers[command as DemoUser])}\n`);
} else {
  console.error(`usage: logis-token keys <keys.json> | logis-token <${Object.keys(demoUsers).join("|")}> [keys.json]`);
  process.exit(2);
}

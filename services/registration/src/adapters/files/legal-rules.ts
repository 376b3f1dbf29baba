import { readFileSync } from "node:fs";
import { LegalRulesFile, type RulesBook, rulesBook } from "../../domain/rules.js";

// config/ sits beside src/ and dist/, so the same relative path works from both.
const defaultPath = new URL("../../../config/legal-rules.json", import.meta.url);

/** Reads and checks the versioned legal rules once (compose.ts); the domain receives the book. */
export function loadLegalRules(path: URL | string = defaultPath): RulesBook {
  return rulesBook(LegalRulesFile.parse(JSON.parse(readFileSync(path, "utf8"))));
}

import { readFileSync } from "node:fs";
import { type GuichetDirectory, GuichetsFile, guichetDirectory } from "../../domain/guichets.js";

// config/ sits beside src/ and dist/, so the same relative path works from both.
const defaultPath = new URL("../../../config/guichets.json", import.meta.url);

/** Reads and checks the desks' contact details once (compose.ts). */
export function loadGuichets(path: URL | string = defaultPath): GuichetDirectory {
  return guichetDirectory(GuichetsFile.parse(JSON.parse(readFileSync(path, "utf8"))));
}

import { readdirSync, readFileSync } from "node:fs";
import { GridKind, GridRules } from "@logis/contracts";
import { z } from "zod";

/** A grid kept as a file (config/grilles): the real fragments of §4.4 and the synthetic grid of §4.5. */
export const GridFile = z.object({
  nom: z.string().min(1),
  kind: GridKind,
  source: z.string().min(1),
  rules: GridRules,
});
export type GridFile = z.infer<typeof GridFile>;

const dir = new URL("../../config/grilles/", import.meta.url);

export const referenceGridNames = (): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.replace(/\.json$/, ""))
    .sort();

export const loadReferenceGrid = (name: string): GridFile =>
  GridFile.parse(JSON.parse(readFileSync(new URL(`${name}.json`, dir), "utf8")));

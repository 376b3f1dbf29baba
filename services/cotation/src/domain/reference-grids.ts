import { GridKind, GridRules } from "@logis/contracts";
import { z } from "zod";

/**
 * A grid kept as a file (config/grilles, read by adapters/files/reference-data.ts): the real
 * fragments of §4.4 and the synthetic grid of §4.5.
 */
export const GridFile = z.object({
  nom: z.string().min(1),
  kind: GridKind,
  source: z.string().min(1),
  rules: GridRules,
});
export type GridFile = z.infer<typeof GridFile>;

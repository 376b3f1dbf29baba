import { readFileSync } from "node:fs";
import { z } from "zod";

// Versioned reference data (config/*.json): lists change by publishing a new version of the file,
// never by editing code.

const read = (file: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../config/${file}`, import.meta.url), "utf8"));

const Labels = z.record(z.string().regex(/^[A-Z][A-Z0-9_]+$/), z.string().min(1));

export const Referentiels = z.object({
  version: z.string(),
  validFrom: z.iso.date(),
  prioritesL441: Labels,
  justificatifs: Labels,
});
export const referentiels = Referentiels.parse(read("referentiels.json"));

export const Territoires = z.object({
  version: z.string(),
  validFrom: z.iso.date(),
  epcis: z.array(
    z.object({
      siren: z.string().regex(/^\d{9}$/),
      nom: z.string().min(1),
      communes: z.array(z.string().regex(/^(\d{5}|2[AB]\d{3})$/)).min(1),
    }),
  ),
});
export type Territoires = z.infer<typeof Territoires>;
export const territoires = Territoires.parse(read("territoires.json"));

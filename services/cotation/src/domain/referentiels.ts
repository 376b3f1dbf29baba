import { z } from "zod";

// Versioned reference data (config/*.json): lists change by publishing a new version of the file,
// never by editing code. The files are read by adapters/files/reference-data.ts, in compose.ts, and
// the parsed data is passed in: domain code does no I/O.

const Labels = z.record(z.string().regex(/^[A-Z][A-Z0-9_]+$/), z.string().min(1));

export const Referentiels = z.object({
  version: z.string(),
  validFrom: z.iso.date(),
  prioritesL441: Labels,
  justificatifs: Labels,
});
export type Referentiels = z.infer<typeof Referentiels>;

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

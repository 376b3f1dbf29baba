import { randomBytes } from "node:crypto";

const prefixes = {
  demand: "dem",
  event: "evt",
  request: "req",
  correlation: "cor",
  audit: "aud",
  import: "imp",
  grid: "grd",
  unit: "uni",
  session: "ses",
  job: "job",
  user: "usr",
  organisation: "org",
  note: "not",
} as const;

export type IdPrefix = keyof typeof prefixes;

const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

/**
 * A prefixed, random, URL-safe technical id (`dem_3k9...`). Business numbers such as the numéro
 * unique are separate and never derived from it. 16 characters of base 36 give about 82 bits.
 */
export function newId<P extends IdPrefix>(prefix: P): `${(typeof prefixes)[P]}_${string}` {
  const bytes = randomBytes(16);
  let out = "";
  for (const b of bytes) out += alphabet[b % 36];
  return `${prefixes[prefix]}_${out}`;
}

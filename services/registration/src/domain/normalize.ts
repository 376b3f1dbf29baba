/** Upper-case letters only, without accents, spaces, hyphens or apostrophes: "Lefèvre-d'Arc" → "LEFEVREDARC". */
export const normalizeName = (s: string): string =>
  s
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toUpperCase()
    .replace(/[^A-Z]/g, "");

/**
 * Letters that Unicode does not decompose into a base letter and a mark, written as people write
 * them without the special letter: "Lætitia" is "Laetitia", "Cœur" is "Coeur", "Đặng" is "Dang".
 */
const TRANSLITERATION: Record<string, string> = {
  Æ: "AE",
  æ: "ae",
  Œ: "OE",
  œ: "oe",
  ß: "ss",
  ẞ: "SS",
  Ø: "O",
  ø: "o",
  Đ: "D",
  đ: "d",
  Ð: "D",
  ð: "d",
  Ł: "L",
  ł: "l",
  Þ: "TH",
  þ: "th",
  ı: "i",
  Ħ: "H",
  ħ: "h",
  Ŧ: "T",
  ŧ: "t",
  Ŀ: "L",
  ŀ: "l",
};
/** A character class of those letters (a database filter finds the names to compare again). */
export const TRANSLITERATED_LETTERS = `[${Object.keys(TRANSLITERATION).join("")}]`;
const SPECIAL = new RegExp(TRANSLITERATED_LETTERS, "gu");

/**
 * Upper-case letters only, without accents, spaces, hyphens or apostrophes: "Lefèvre-d'Arc" →
 * "LEFEVREDARC", "Lætitia" → "LAETITIA", "Nguyễn" → "NGUYEN". NFKD also splits the typographic
 * ligatures (ﬁ, ĳ) into their letters.
 */
export const normalizeName = (s: string): string =>
  s
    .normalize("NFKD")
    .replace(SPECIAL, (c) => TRANSLITERATION[c] ?? c)
    .replace(/\p{Diacritic}/gu, "")
    .toUpperCase()
    .replace(/[^A-Z]/g, "");

/** True when `s` holds a letter whose comparison form changed with the transliteration above. */
export const hasTransliteratedLetter = (s: string): boolean =>
  new RegExp(SPECIAL.source, "u").test(s.normalize("NFKD"));

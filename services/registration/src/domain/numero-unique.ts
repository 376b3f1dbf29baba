import { civilMonth } from "@logis/domain";

/**
 * Numéro unique: 18 characters, as the SNE's (domain §2.2): département on 3 characters, month and
 * year of deposit (MMYY), a 9-digit sequence per département that is never reused, and a 2-letter
 * check key (ISO 7064 mod 97-10 over the first 16 characters, letters valued 10–35 as in IBANs).
 * Outside systems must treat it as opaque; the key lets desks catch typing errors.
 */
export function formatNumeroUnique(departement: string, deposit: Date, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 999_999_999) {
    throw new RangeError(`sequence out of range: ${sequence}`);
  }
  const dept = departement.padStart(3, "0");
  // The month of the deposit as the desk lives it: in Paris, not in UTC (issue 15).
  const { year, month } = civilMonth(deposit);
  const mm = String(month).padStart(2, "0");
  const yy = String(year % 100).padStart(2, "0");
  const body = `${dept}${mm}${yy}${String(sequence).padStart(9, "0")}`;
  return `${body}${checkKey(body)}`;
}

export function isValidNumeroUnique(numero: string): boolean {
  if (!/^[0-9A-Z]{16}[A-Z]{2}$/.test(numero)) return false;
  const month = Number(numero.slice(3, 5));
  if (month < 1 || month > 12) return false;
  return checkKey(numero.slice(0, 16)) === numero.slice(16);
}

function checkKey(body: string): string {
  let remainder = 0;
  for (const ch of body) {
    const value = /\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55;
    for (const digit of String(value)) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  const key = 98 - ((remainder * 100) % 97); // 1..98
  return String.fromCharCode(65 + Math.floor(key / 26), 65 + (key % 26));
}

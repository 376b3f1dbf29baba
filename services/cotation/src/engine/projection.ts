import type { DemandHeader, FactCatalogue, FactDef, FactValues } from "../domain/facts.js";

// The demand stock as columns (one typed array per fact), so that a compiled grid walks memory
// linearly. A row is a demand; rows of purged demands are reused. About 200 bytes per demand plus
// its two identifiers (bench/engine.ts prints the measured figure).

export const Status = { free: 0, active: 1, cancelled: 2, radiated: 3 } as const;
export type StatusCode = (typeof Status)[keyof typeof Status];

/** Wished communes kept inline per row; more go to an overflow map. */
export const INLINE_COMMUNES = 8;
const NONE = 0;

interface Layout {
  bools: Map<string, number>; // fact → bit in `flags`
  codes: Map<string, FactDef>;
  sets: Map<string, FactDef>;
  numbers: Map<string, FactDef>;
  communes: Map<string, FactDef>;
}

function layoutOf(catalogue: readonly FactDef[]): Layout {
  const layout: Layout = {
    bools: new Map(),
    codes: new Map(),
    sets: new Map(),
    numbers: new Map(),
    communes: new Map(),
  };
  for (const f of catalogue) {
    if (f.temporal) continue;
    if (f.type === "bool") layout.bools.set(f.name, layout.bools.size);
    else if (f.type === "code") layout.codes.set(f.name, f);
    else if (f.type === "codeSet") layout.sets.set(f.name, f);
    else if (f.type === "number") layout.numbers.set(f.name, f);
    else layout.communes.set(f.name, f);
  }
  if (layout.bools.size > 32) throw new Error("at most 32 boolean facts fit the flags column");
  for (const f of layout.sets.values())
    if ((f.codes?.length ?? 0) > 32) throw new Error(`code set ${f.name} has more than 32 codes`);
  return layout;
}

/** The typed arrays a compiled grid reads (replaced when the projection grows). */
export interface Columns {
  status: Uint8Array;
  flags: Uint32Array;
  code: Record<string, Uint8Array>;
  set: Record<string, Uint32Array>;
  num: Record<string, Float64Array>;
  commune: Record<string, Uint16Array>;
  /** First deposit: month index (year × 12 + month − 1) and day of month. */
  depotMonth: Uint16Array;
  depotDay: Uint8Array;
  wished: Uint16Array; // INLINE_COMMUNES per row, commune dictionary index + 1
  wishedCount: Uint8Array;
  epci: Uint16Array; // 2 per row, EPCI index + 1
  version: Uint32Array;
  idHash: Uint32Array;
}

/** FNV-1a: a stable 32-bit hash of the demand id (the seeded draw mixes it with the seed). */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export const monthIndex = (isoDate: string): [number, number] => {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  return [y * 12 + m - 1, d];
};

export interface TerritoryIndex {
  /** EPCI SIRENs, index + 1 stored in rows. */
  epcis: readonly string[];
  epciOfCommune: ReadonlyMap<string, number>;
}

export function territoryIndex(epcis: readonly { siren: string; communes: readonly string[] }[]): TerritoryIndex {
  const epciOfCommune = new Map<string, number>();
  epcis.forEach((e, k) => {
    for (const c of e.communes) epciOfCommune.set(c, k);
  });
  return { epcis: epcis.map((e) => e.siren), epciOfCommune };
}

export class Projection {
  readonly layout: Layout;
  cols: Columns;
  capacity: number;
  /** Rows in use (including free slots below it). */
  size = 0;
  readonly ids: (string | undefined)[] = [];
  readonly numeros: (string | undefined)[] = [];
  private readonly rowOfId = new Map<string, number>();
  private readonly rowOfNumero = new Map<string, number>();
  private readonly free: number[] = [];
  private readonly wishedOverflow = new Map<number, number[]>();
  private readonly epciOverflow = new Map<number, number[]>();
  /** Commune dictionary (INSEE code ↔ index), grows as communes appear. */
  readonly communeCodes: string[] = [];
  private readonly communeIndex = new Map<string, number>();
  private readonly codeIndex = new Map<string, Map<string, number>>();
  /** Bumped whenever a row's EPCI membership or status changes (population caches key on it). */
  generation = 0;

  /**
   * `catalogue`: the facts stored (one column each) and their codes, from the reference data loaded
   * in compose.ts; grids compile against the catalogue of the projection they score.
   */
  constructor(
    readonly catalogue: FactCatalogue,
    readonly territory: TerritoryIndex,
    initialCapacity = 1024,
  ) {
    this.layout = layoutOf(catalogue.facts);
    for (const f of [...this.layout.codes.values(), ...this.layout.sets.values()])
      this.codeIndex.set(f.name, new Map((f.codes ?? []).map((c, k) => [c, k])));
    this.capacity = Math.max(16, initialCapacity);
    this.cols = this.allocate(this.capacity);
  }

  private allocate(n: number): Columns {
    const per = <T>(m: Map<string, unknown>, make: () => T) =>
      Object.fromEntries([...m.keys()].map((k) => [k, make()])) as Record<string, T>;
    return {
      status: new Uint8Array(n),
      flags: new Uint32Array(n),
      code: per(this.layout.codes, () => new Uint8Array(n)),
      set: per(this.layout.sets, () => new Uint32Array(n)),
      num: per(this.layout.numbers, () => new Float64Array(n)),
      commune: per(this.layout.communes, () => new Uint16Array(n)),
      depotMonth: new Uint16Array(n),
      depotDay: new Uint8Array(n),
      wished: new Uint16Array(n * INLINE_COMMUNES),
      wishedCount: new Uint8Array(n),
      epci: new Uint16Array(n * 2),
      version: new Uint32Array(n),
      idHash: new Uint32Array(n),
    };
  }

  private grow(): void {
    const next = this.allocate(this.capacity * 2);
    const copy = (from: ArrayLike<number> & { buffer: ArrayBufferLike }, to: { set(a: ArrayLike<number>): void }) => {
      to.set(from);
    };
    const c = this.cols;
    copy(c.status, next.status);
    copy(c.flags, next.flags);
    for (const k of Object.keys(c.code)) copy(c.code[k] as Uint8Array, next.code[k] as Uint8Array);
    for (const k of Object.keys(c.set)) copy(c.set[k] as Uint32Array, next.set[k] as Uint32Array);
    for (const k of Object.keys(c.num)) copy(c.num[k] as Float64Array, next.num[k] as Float64Array);
    for (const k of Object.keys(c.commune)) copy(c.commune[k] as Uint16Array, next.commune[k] as Uint16Array);
    copy(c.depotMonth, next.depotMonth);
    copy(c.depotDay, next.depotDay);
    copy(c.wished, next.wished);
    copy(c.wishedCount, next.wishedCount);
    copy(c.epci, next.epci);
    copy(c.version, next.version);
    copy(c.idHash, next.idHash);
    this.cols = next;
    this.capacity *= 2;
  }

  communeId(code: string): number {
    let k = this.communeIndex.get(code);
    if (k === undefined) {
      k = this.communeCodes.length;
      if (k >= 0xfffe) throw new Error("commune dictionary full");
      this.communeCodes.push(code);
      this.communeIndex.set(code, k);
    }
    return k + 1;
  }

  rowOf(id: string): number | undefined {
    return this.rowOfId.get(id);
  }

  rowOfNumeroUnique(numero: string): number | undefined {
    return this.rowOfNumero.get(numero);
  }

  /** Active demands (for sizes and status pages). */
  get activeCount(): number {
    let n = 0;
    const s = this.cols.status;
    for (let i = 0; i < this.size; i++) if (s[i] === Status.active) n++;
    return n;
  }

  /**
   * Writes a demand's facts (new or changed). `justificatifs` and `refus12Mois` are kept when the
   * update does not carry them (they come from other sources than the registration events).
   */
  upsert(id: string, numero: string, header: DemandHeader, facts: FactValues, version: number): number {
    let row = this.rowOfId.get(id);
    const isNew = row === undefined;
    if (row === undefined) {
      row = this.free.pop() ?? this.size++;
      if (row >= this.capacity) this.grow();
      this.rowOfId.set(id, row);
      this.ids[row] = id;
    }
    const old = this.numeros[row];
    if (old !== numero) {
      if (old !== undefined) this.rowOfNumero.delete(old);
      this.numeros[row] = numero;
      this.rowOfNumero.set(numero, row);
    }
    const c = this.cols;
    c.version[row] = version;
    c.idHash[row] = hash32(id);
    if (c.status[row] !== Status.active) this.generation++;
    c.status[row] = Status.active;
    const [month, day] = monthIndex(header.dateDepot);
    c.depotMonth[row] = month;
    c.depotDay[row] = day;
    let flags = 0;
    for (const [name, bit] of this.layout.bools) if (facts[name] === true) flags |= 1 << bit;
    c.flags[row] = flags >>> 0;
    for (const name of this.layout.codes.keys()) {
      const v = facts[name];
      (c.code[name] as Uint8Array)[row] = typeof v === "string" ? (this.codeIndex.get(name)?.get(v) ?? -1) + 1 : NONE;
    }
    for (const name of this.layout.sets.keys()) {
      const v = facts[name];
      if (v === undefined && !isNew && name === "justificatifs") continue;
      let mask = 0;
      const index = this.codeIndex.get(name);
      if (Array.isArray(v))
        for (const code of v) {
          const k = index?.get(code);
          if (k !== undefined) mask |= 1 << k;
        }
      (c.set[name] as Uint32Array)[row] = mask >>> 0;
    }
    for (const name of this.layout.numbers.keys()) {
      const v = facts[name];
      if (v === undefined && !isNew && name === "refus12Mois") continue;
      (c.num[name] as Float64Array)[row] = typeof v === "number" ? v : 0;
    }
    for (const name of this.layout.communes.keys()) {
      const v = facts[name];
      (c.commune[name] as Uint16Array)[row] = typeof v === "string" ? this.communeId(v) : NONE;
    }
    // Wished communes and the EPCIs they lie in.
    const ids = header.communes.map((code) => this.communeId(code));
    c.wishedCount[row] = Math.min(ids.length, 255);
    for (let k = 0; k < INLINE_COMMUNES; k++) c.wished[row * INLINE_COMMUNES + k] = ids[k] ?? NONE;
    if (ids.length > INLINE_COMMUNES) this.wishedOverflow.set(row, ids.slice(INLINE_COMMUNES));
    else this.wishedOverflow.delete(row);
    const epcis = [...new Set(header.communes.map((code) => this.territory.epciOfCommune.get(code)))]
      .filter((e) => e !== undefined)
      .map((e) => e + 1);
    const before = `${c.epci[row * 2]}:${c.epci[row * 2 + 1]}:${this.epciOverflow.get(row) ?? ""}`;
    c.epci[row * 2] = epcis[0] ?? NONE;
    c.epci[row * 2 + 1] = epcis[1] ?? NONE;
    if (epcis.length > 2) this.epciOverflow.set(row, epcis.slice(2));
    else this.epciOverflow.delete(row);
    if (before !== `${c.epci[row * 2]}:${c.epci[row * 2 + 1]}:${this.epciOverflow.get(row) ?? ""}`) this.generation++;
    return row;
  }

  /**
   * Sets the facts other services own (verified pieces, refusals); returns false if unknown.
   * `version`: the event's aggregateVersion, kept as the demand's high-water mark.
   */
  setExtra(id: string, extra: { justificatifs?: readonly string[]; refus12Mois?: number }, version?: number): boolean {
    const row = this.rowOfId.get(id);
    if (row === undefined) return false;
    if (version !== undefined) this.cols.version[row] = version;
    if (extra.justificatifs) {
      let mask = 0;
      const index = this.codeIndex.get("justificatifs");
      for (const code of extra.justificatifs) {
        const k = index?.get(code);
        if (k !== undefined) mask |= 1 << k;
      }
      (this.cols.set.justificatifs as Uint32Array)[row] = mask >>> 0;
    }
    if (extra.refus12Mois !== undefined) (this.cols.num.refus12Mois as Float64Array)[row] = extra.refus12Mois;
    return true;
  }

  setStatus(id: string, status: StatusCode, version: number): boolean {
    const row = this.rowOfId.get(id);
    if (row === undefined) return false;
    if (this.cols.status[row] !== status) this.generation++;
    this.cols.status[row] = status;
    this.cols.version[row] = version;
    return true;
  }

  /** Forgets a purged demand; its row is reused. */
  remove(id: string): boolean {
    const row = this.rowOfId.get(id);
    if (row === undefined) return false;
    this.rowOfId.delete(id);
    const numero = this.numeros[row];
    if (numero !== undefined) this.rowOfNumero.delete(numero);
    this.ids[row] = undefined;
    this.numeros[row] = undefined;
    this.cols.status[row] = Status.free;
    this.wishedOverflow.delete(row);
    this.epciOverflow.delete(row);
    this.free.push(row);
    this.generation++;
    return true;
  }

  versionOf(id: string): number {
    const row = this.rowOfId.get(id);
    return row === undefined ? 0 : (this.cols.version[row] ?? 0);
  }

  epcisOf(row: number): number[] {
    const c = this.cols.epci;
    return [c[row * 2] ?? 0, c[row * 2 + 1] ?? 0, ...(this.epciOverflow.get(row) ?? [])].filter((e) => e !== NONE);
  }

  wishedOf(row: number): number[] {
    const n = this.cols.wishedCount[row] ?? 0;
    const inline = [
      ...this.cols.wished.subarray(row * INLINE_COMMUNES, row * INLINE_COMMUNES + Math.min(n, INLINE_COMMUNES)),
    ];
    return [...inline, ...(this.wishedOverflow.get(row) ?? [])];
  }

  /** Active rows whose wished communes touch the EPCI (index + 1 as stored), optionally filtered. */
  rowsOfEpci(epciId: number, keep?: (row: number) => boolean): Uint32Array {
    const out = new Uint32Array(this.size);
    let n = 0;
    const { status, epci } = this.cols;
    for (let i = 0; i < this.size; i++) {
      if (status[i] !== Status.active) continue;
      if (epci[i * 2] !== epciId && epci[i * 2 + 1] !== epciId && !this.epciOverflow.get(i)?.includes(epciId)) continue;
      if (keep && !keep(i)) continue;
      out[n++] = i;
    }
    return out.slice(0, n);
  }

  /** The stored facts of a row as plain values (explanations, tests, the interpreter). */
  readRow(row: number): { header: DemandHeader; facts: FactValues } {
    const c = this.cols;
    const facts: FactValues = {};
    const flags = c.flags[row] ?? 0;
    for (const [name, bit] of this.layout.bools) facts[name] = ((flags >>> bit) & 1) === 1;
    for (const [name, def] of this.layout.codes) {
      const k = (c.code[name] as Uint8Array)[row] ?? 0;
      facts[name] = k === NONE ? undefined : def.codes?.[k - 1];
    }
    for (const [name, def] of this.layout.sets) {
      const mask = (c.set[name] as Uint32Array)[row] ?? 0;
      facts[name] = (def.codes ?? []).filter((_, k) => ((mask >>> k) & 1) === 1);
    }
    for (const name of this.layout.numbers.keys()) facts[name] = (c.num[name] as Float64Array)[row];
    for (const name of this.layout.communes.keys()) {
      const k = (c.commune[name] as Uint16Array)[row] ?? 0;
      facts[name] = k === NONE ? undefined : this.communeCodes[k - 1];
    }
    const month = c.depotMonth[row] ?? 0;
    const pad = (n: number) => String(n).padStart(2, "0");
    const dateDepot = `${Math.floor(month / 12)}-${pad((month % 12) + 1)}-${pad(c.depotDay[row] ?? 1)}`;
    const communes = this.wishedOf(row).map((k) => this.communeCodes[k - 1] as string);
    return { header: { dateDepot, communes }, facts };
  }
}

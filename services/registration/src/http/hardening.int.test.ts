import { request } from "node:http";
import { demoUsers } from "@logis/auth";
import { DemandForm } from "@logis/contracts";
import { createHttpApp, type Listening, listen, mountRoutes } from "@logis/http";
import { createLogger } from "@logis/observability";
import { demandFormInput } from "@logis/testing";
import type { mongo } from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lookupTables } from "../adapters/mongo/lookup-tables.js";
import { searchKeys } from "../domain/duplicates.js";
import { type RegistrationHarness, registrationHarness } from "../testing/harness.js";
import { syntheticCsvFile } from "../testing/import-files.js";
import { restRoutes } from "./operations.js";

// Issue 10: a failure after the insert, keys shared by many demands, another département's numéros
// through an import, a 409 that reserved a numéro, sensitive field names in the history, names made
// of invisible characters, and import uploads without a size limit — on the real engines.

/** Fault injection: while `failSlots` is set, adding a demand to an existing key's chain fails. */
let failSlots = false;
/** Fault injection: while set, the numéros of an import batch cannot be written (the driver quotes a key). */
let failImportNumeros = false;
const wrapDb = (db: mongo.Db): mongo.Db =>
  new Proxy(db, {
    get(target, prop) {
      if (prop === "collection")
        return (name: string, ...rest: unknown[]) => {
          const c = (target.collection as (...a: unknown[]) => mongo.Collection)(name, ...rest);
          if (name !== "demand_keys") return c;
          return new Proxy(c, {
            get(t, p) {
              if (p === "insertOne" && failSlots)
                return async () => {
                  throw new Error("connection lost");
                };
              if (p === "insertMany" && failImportNumeros)
                return async () => {
                  throw new Error('E11000 duplicate key error dup key: { _id: "69|nb:DUP|1988-04-12" }');
                };
              const v = Reflect.get(t, p, t);
              return typeof v === "function" ? v.bind(t) : v;
            },
          });
        };
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });

let h: RegistrationHarness;
beforeAll(async () => {
  h = await registrationHarness("2026-03-15T10:00:00.000Z", { wrapDb });
});
afterAll(async () => {
  await h.close();
});

const demands = () => h.db.collection("demands");
const keysTable = () => h.db.collection<{ _id: string; ids: string[] }>("demand_keys");

/** A household of its own: name, first name and birth date given. */
const household = (nom: string, prenom: string, dateNaissance: string) =>
  demandFormInput({
    demandeur: { ...demandFormInput().demandeur, nom, prenom, dateNaissance, nir: undefined },
    cotitulaire: undefined,
    personnesACharge: [],
  });

const nearNameKey = (form: ReturnType<typeof household>) => {
  const key = searchKeys(DemandForm.parse(form)).find((k) => k.startsWith("nb:"));
  if (!key) throw new Error("no near-name key");
  return key;
};

describe("a key shared by many demands, and a failure after the reservation", () => {
  it("a near-name key already shared by 64 demands: registrations go on (201), each findable by the key", async () => {
    const first = household("Marchal", "Bruno", "2000-01-01");
    const key = nearNameKey(first);
    const tables = lookupTables(h.db, h.lock);
    for (let i = 0; i < 64; i++)
      await tables.addKeys([{ departement: "69", demandId: `dem_elsewhere_${i}`, keys: [key] }]);
    expect(await keysTable().countDocuments({ _id: { $regex: `^69\\|${key.replace("|", "\\|")}` } })).toBe(64);

    const registered: string[] = [];
    for (const [nom, prenom] of [
      ["Marchand", "Zoé"],
      ["Marceau", "Kylian"],
    ] as const) {
      const res = await h.call("guichet", "POST", "/v1/demandes", { demande: household(nom, prenom, "2000-01-01") });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      registered.push(res.body.demand.id);
    }
    const ids = await tables.idsFor("69", [key]);
    expect(ids).toHaveLength(66);
    expect(ids).toEqual(expect.arrayContaining(registered));
  });

  it("a failure while adding the keys answers 5xx and leaves no demand and no event", async () => {
    const form = household("Martinez", "Inès", "2000-01-01"); // shares the near-name key above
    const before = await demands().countDocuments();
    failSlots = true;
    try {
      const res = await h.call("guichet", "POST", "/v1/demandes", { demande: form });
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(res.body.error.message).toBe("Erreur interne");
    } finally {
      failSlots = false;
    }
    expect(await demands().countDocuments()).toBe(before);
    expect(await demands().countDocuments({ noms: "MARTINEZ" })).toBe(0);
    // The desk tries again: registered once.
    const again = await h.call("guichet", "POST", "/v1/demandes", { demande: form });
    expect(again.status).toBe(201);
    expect(await demands().countDocuments({ noms: "MARTINEZ" })).toBe(1);
  });
});

describe("an update whose keys cannot be written", () => {
  it("answers 5xx and leaves the demand and its events as they were", async () => {
    const form = household("Dubois", "Hugo", "2000-01-01");
    const created = await h.call("guichet", "POST", "/v1/demandes", { demande: form });
    expect(created.status).toBe(201);
    const { numeroUnique, id, version } = created.body.demand;
    const stored = async () => (await demands().findOne({ _id: id } as never)) as Record<string, unknown> | null;
    // The new name's near-name key is already another demand's: adding this one needs a new slot.
    const renamed = { ...form, demandeur: { ...form.demandeur, nom: "Marchetti" } };
    await lookupTables(h.db, h.lock).addKeys([
      { departement: "69", demandId: "dem_other", keys: [nearNameKey(renamed)] },
    ]);
    const before = await stored();
    failSlots = true;
    try {
      const res = await h.call("guichet", "PUT", `/v1/demandes/${numeroUnique}`, {
        expectedVersion: version,
        demande: renamed,
        motif: "nom d'usage",
      });
      expect(res.status).toBeGreaterThanOrEqual(500);
    } finally {
      failSlots = false;
    }
    const after = await stored();
    expect(after?.version).toBe(before?.version);
    expect(after?.outbox).toEqual(before?.outbox);
    expect(after?.noms).toEqual(["DUBOIS"]);
  });
});

describe("a possible duplicate (409) reserves nothing", () => {
  it("no numéro taken, no key written; the next registration gets the next sequence number", async () => {
    const form = household("Lemaire", "Odile", "1975-06-30");
    const first = await h.call("guichet", "POST", "/v1/demandes", { demande: form });
    expect(first.status).toBe(201);
    const keysBefore = await keysTable().countDocuments();
    const again = await h.call("guichet", "POST", "/v1/demandes", { demande: form });
    expect(again.status).toBe(409);
    expect(again.body.error.reason).toBe("POSSIBLE_DUPLICATE");
    expect(await keysTable().countDocuments()).toBe(keysBefore);
    const next = await h.call("guichet", "POST", "/v1/demandes", {
      demande: household("Perrin", "Gaston", "1951-11-11"),
    });
    expect(next.status).toBe(201);
    const seq = (numero: string) => Number(numero.slice(7, 16));
    expect(seq(next.body.demand.numeroUnique)).toBe(seq(first.body.demand.numeroUnique) + 1);
  });

  it("a reservation that met a household registered meanwhile gives its numéro and keys back", async () => {
    const form = DemandForm.parse(household("Vidal", "Rose", "1966-02-02"));
    const existing = await h.call("guichet", "POST", "/v1/demandes", { demande: form });
    expect(existing.status).toBe(201);
    const numero = "069032699999999".padEnd(16, "9");
    const demand = {
      ...existing.body.demand,
      id: "dem_racing",
      numeroUnique: `${numero}ZZ`,
      form: { ...form, demandeur: { ...form.demandeur, nir: "166020212345672" } },
    };
    const reservation = (await h.demands.reserve(demand)) as Awaited<ReturnType<typeof h.demands.reserve>> & {
      release(): Promise<void>;
    };
    expect(reservation.holders.map((d) => d.id)).toEqual([existing.body.demand.id]);
    expect(await keysTable().countDocuments({ ids: "dem_racing" })).toBeGreaterThan(0);
    await reservation.release();
    expect(await keysTable().findOne({ _id: `numero|${numero}ZZ` })).toBeNull();
    expect(await keysTable().countDocuments({ ids: "dem_racing" })).toBe(0);
  });
});

describe("imports", () => {
  async function upload(body: string, departement = "69") {
    const res = await fetch(`${h.base}/v1/imports?format=csv&departement=${departement}`, {
      method: "POST",
      headers: { "content-type": "text/csv", authorization: await h.authHeader("guichet") },
      body,
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    for (;;) {
      const r = await h.call("guichet", "GET", `/v1/imports/${id}`);
      if (r.body.status !== "running") return r.body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it("accept only numéros of the département imported into", async () => {
    const { readFileSync, rmSync } = await import("node:fs");
    const file = syntheticCsvFile(3, 11, 700_001);
    const [header, ...rows] = readFileSync(file, "utf8").split(/(?<=\n)/);
    rmSync(file);
    // The second record carries a numéro of Ille-et-Vilaine (035…).
    const foreign = (rows[1] as string).replace(/^(\W?)069/, "$1035");
    expect(foreign).not.toBe(rows[1]);
    const job = await upload([header, rows[0], foreign, rows[2]].join(""));
    expect(job.progress).toMatchObject({ read: 3, created: 2, failed: 1 });
    expect(job.errors).toEqual([
      expect.objectContaining({ record: 2, field: "numUnique", message: expect.stringContaining("069") }),
    ]);
    expect(await demands().countDocuments({ numeroUnique: { $regex: "^035" } })).toBe(0);
    expect(await keysTable().countDocuments({ _id: { $regex: "^numero\\|035" } })).toBe(0);
  });

  it("an import that fails inside says so without quoting the database (no names, no birth dates)", async () => {
    const { readFileSync, rmSync } = await import("node:fs");
    const file = syntheticCsvFile(2, 12, 800_001);
    const body = readFileSync(file, "utf8");
    rmSync(file);
    failImportNumeros = true;
    try {
      const job = await upload(body);
      expect(job.status).toBe("failed");
      expect(job.error).toContain("Erreur interne");
      expect(JSON.stringify(job)).not.toContain("1988-04-12");
      expect(JSON.stringify(job)).not.toContain("DUP");
    } finally {
      failImportNumeros = false;
    }
  });

  it("uploads beyond the configured limit: 413 naming the limit, checked while streaming, nothing kept", async () => {
    const app = createHttpApp({
      logger: createLogger({ service: "registration-test", level: "silent" }),
      verifier: async () => demoUsers.guichet,
      routes: (a) => mountRoutes(a, restRoutes(h.uc, { importMaxBytes: 64 * 1024 })),
    });
    const server: Listening = await listen(app, 0, "127.0.0.1");
    try {
      const before = await h.db.collection("imports").countDocuments();
      const post = (chunks: number, declareLength: boolean) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const chunk = Buffer.alloc(16 * 1024, "a");
          const req = request(
            `http://127.0.0.1:${server.port}/v1/imports?format=csv&departement=69`,
            {
              method: "POST",
              headers: {
                "content-type": "text/csv",
                authorization: "Bearer x",
                ...(declareLength ? { "content-length": String(chunks * chunk.length) } : {}),
              },
            },
            (res) => {
              let body = "";
              res.on("data", (c: Buffer) => {
                body += c.toString();
              });
              res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
            },
          );
          req.on("error", (error) => (req.writableEnded ? undefined : reject(error)));
          let sent = 0;
          const write = () => {
            while (sent < chunks) {
              sent++;
              if (!req.write(chunk)) return void req.once("drain", write);
            }
            req.end();
          };
          write();
        });
      // Chunked (no length announced): refused once the limit is crossed.
      const streamed = await post(64, false);
      expect(streamed.status).toBe(413);
      expect(JSON.parse(streamed.body).error.message).toContain("65536 octets");
      // Announced beyond the limit: refused before reading.
      const announced = await post(8, true);
      expect(announced.status).toBe(413);
      // Within the limit: accepted (the job then reports the file's records).
      const small = await post(2, true);
      expect(small.status).toBe(202);
      expect(await h.db.collection("imports").countDocuments()).toBe(before + 1);
    } finally {
      await server.close();
    }
  });

  it("an upload with a Content-Encoding is refused (it would be stored undecoded): 415", async () => {
    const res = await fetch(`${h.base}/v1/imports?format=csv&departement=69`, {
      method: "POST",
      headers: { "content-type": "text/csv", "content-encoding": "gzip", authorization: await h.authHeader("guichet") },
      body: "pas du gzip",
    });
    expect(res.status).toBe(415);
  });
});

describe("what a desk without the sensitive role sees", () => {
  it("the history says sensitive details changed, not which", async () => {
    const form = household("Fabre", "Alix", "1990-07-14");
    const created = await h.call("sensible", "POST", "/v1/demandes", { demande: form });
    expect(created.status).toBe(201);
    const numero = created.body.demand.numeroUnique;
    const updated = await h.call("sensible", "PUT", `/v1/demandes/${numero}`, {
      expectedVersion: created.body.demand.version,
      demande: {
        ...form,
        logementActuel: { ...form.logementActuel, nombreOccupants: 4 },
        sensible: { violences: { description: "Main courante du 3 mars", ordonnanceProtection: true } },
      },
      motif: "déclaration de la demandeuse",
    });
    expect(updated.status).toBe(200);
    const changesOf = (body: { history: { action: string; changes: string[] }[] }) =>
      body.history.filter((e) => e.action === "update").flatMap((e) => e.changes);
    const sensitive = await h.call("sensible", "GET", `/v1/demandes/${numero}/historique`);
    expect(changesOf(sensitive.body)).toEqual(
      expect.arrayContaining(["sensible.violences", "logementActuel.nombreOccupants"]),
    );
    const desk = await h.call("guichet", "GET", `/v1/demandes/${numero}/historique`);
    expect(changesOf(desk.body)).toEqual(["logementActuel.nombreOccupants", "sensible"]);
    expect(JSON.stringify(desk.body)).not.toContain("violences");
  });
});

describe("names", () => {
  it("a name made only of NUL, right-to-left override or zero-width characters: 400 naming the field", async () => {
    for (const nom of ["\u0000", "\u202E", "\u200B\u200D", "\uFEFF\u2060"]) {
      const res = await h.call("guichet", "POST", "/v1/demandes", {
        demande: household(nom, "Léa", "1999-09-09"),
      });
      expect(res.status, JSON.stringify(nom)).toBe(400);
      expect(res.body.error.field).toBe("demande.demandeur.nom");
    }
  });
});

import { demoUsers, type Principal } from "@logis/auth";
import { demandFormInput, eventually } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RegistrationHarness, registrationHarness } from "../testing/harness.js";

// Export jobs on the real engines: 202 with Location, the job's progress, the finished file served
// with its media type and name (the same bytes as the streamed export), nothing served before the
// end, and a job whose run stopped with the service run again from the start.

let h: RegistrationHarness;
beforeAll(async () => {
  h = await registrationHarness("2026-11-30T09:00:00.000Z");
  for (const [nom, prenom] of [
    ["Lefèvre", "Lætitia"],
    ["=HYPERLINK(1)", "Zoé"],
    ["Nguyễn", "Thị"],
  ] as const) {
    const r = await h.call("guichet", "POST", "/v1/demandes", {
      demande: demandFormInput({
        cotitulaire: undefined,
        demandeur: { ...demandFormInput().demandeur, nom, prenom, nir: undefined },
      }),
    });
    expect(r.status).toBe(201);
  }
});
afterAll(async () => {
  await h?.close();
});

const asBytes = async (res: Response) => Buffer.from(await res.arrayBuffer());

async function streamed(format: "csv" | "sne-xml") {
  const res = await fetch(`${h.base}/v1/exports?format=${format}&departement=69`, {
    headers: { authorization: await h.authHeader("guichet") },
  });
  expect(res.status).toBe(200);
  return asBytes(res);
}

async function download(id: string, who: "guichet" | Principal = "guichet") {
  return fetch(`${h.base}/v1/exports/${id}/fichier`, { headers: { authorization: await h.authHeader(who) } });
}

describe("export jobs", () => {
  it.each([
    ["csv", "text/csv; charset=utf-8", "demandes-69.csv"],
    ["sne-xml", "application/xml; charset=utf-8", "demandes-69.xml"],
  ] as const)(
    "%s: 202 with Location, progress to the end, then the file with its media type and name",
    async (format, type, name) => {
      const res = await fetch(`${h.base}/v1/exports`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: await h.authHeader("guichet") },
        body: JSON.stringify({ format, departement: "69" }),
      });
      expect(res.status).toBe(202);
      const { id } = (await res.json()) as { id: string };
      expect(res.headers.get("location")).toBe(`/v1/exports/${id}`);
      const job = await eventually(async () => {
        const r = await h.call("guichet", "GET", `/v1/exports/${id}`);
        expect(r.body.status).toBe("done");
        return r.body;
      });
      expect(job.avancement).toEqual({
        faites: 3,
        total: 3,
        unite: "demandes",
        pourcentage: 100,
        libelle: "100 % : 3 demandes sur 3",
      });
      expect(job.fichier).toMatchObject({ nom: name, type, adresse: `/v1/exports/${id}/fichier` });

      const file = await download(id);
      expect(file.status).toBe(200);
      expect(file.headers.get("content-type")).toBe(type);
      expect(file.headers.get("content-disposition")).toBe(`attachment; filename="${name}"`);
      const bytes = await asBytes(file);
      expect(bytes.length).toBe(job.fichier.octets);
      expect(Number(file.headers.get("content-length"))).toBe(bytes.length);
      // The same file as the streamed export (kept for outside systems), byte for byte.
      expect(bytes.equals(await streamed(format))).toBe(true);
      if (format === "csv") {
        expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
        expect(bytes.toString("utf8")).toContain(";'=HYPERLINK(1);");
      } else expect(bytes.toString("utf8")).toContain("Lætitia");
    },
  );

  it("is another département's unknown export (404), needs the export permission (403), names a bad id (400)", async () => {
    const { id } = await h.uc.startExport(h.caller("guichet"), { format: "csv", departement: "69" });
    const moselle: Principal = { ...demoUsers.guichet, territories: { departements: ["57"], epcis: [] } };
    const other = await h.call(moselle, "GET", `/v1/exports/${id}`);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe("NOT_FOUND");
    expect((await download(id, moselle)).status).toBe(404);
    expect((await h.call("bailleur", "GET", `/v1/exports/${id}`)).status).toBe(403);
    const bad = await h.call("guichet", "GET", "/v1/exports/n'importe-quoi");
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe("params.id");
    const badFormat = await h.call("guichet", "POST", "/v1/exports", { format: "xls", departement: "69" });
    expect(badFormat.status).toBe(400);
    expect(badFormat.body.error.field).toBe("format");
    const outside = await h.call("guichet", "POST", "/v1/exports", { format: "csv", departement: "57" });
    expect(outside.status).toBe(403);
  });

  it("a job cut short by a stop is not served, then is run again from the start and served whole", async () => {
    // What a service stopped in the middle of an export leaves: the job running, its last news three
    // minutes old, two parts of its file recorded and a third written but not recorded.
    const id = "job_coupeparlarret0";
    const startedAt = new Date(h.clock.now().getTime() - 180_000);
    await h.db.collection("exports").insertOne({
      _id: id as never,
      format: "csv",
      departement: "69",
      status: "running",
      startedAt,
      heartbeatAt: startedAt,
      startedBy: { userId: demoUsers.guichet.userId, organisationId: demoUsers.guichet.organisation.id },
      reader: {
        userId: demoUsers.guichet.userId,
        organisationId: demoUsers.guichet.organisation.id,
        numGuichet: "069000123",
      },
      total: 3,
      done: 1,
      chunks: 2,
      bytes: 30,
      attempt: 1,
      outbox: [],
    });
    for (const n of [0, 1, 2])
      await h.db.collection("export_files").insertOne({
        _id: `${id}:1:00000${n}` as never,
        job: id,
        run: 1,
        n,
        text: `morceau ${n} d'un export coupé\r\n`,
      });

    const early = await download(id);
    expect(early.status).toBe(409);
    expect(((await early.json()) as { error: { message: string } }).error.message).toContain(
      "n'est pas terminé (33 %)",
    );

    expect(await h.runningExports()).toContain(id);
    const resumed = await h.exports.resumeStale(await h.runningExports());
    expect(resumed.map((r) => r.id)).toEqual([id]);
    await Promise.all(resumed.map((r) => r.done));
    // Taken once: a second pass (another replica) finds it running with fresh news, or done.
    expect(await h.exports.resumeStale([id])).toEqual([]);

    const job = (await h.call("guichet", "GET", `/v1/exports/${id}`)).body;
    expect(job).toMatchObject({ status: "done", relances: 1, avancement: { faites: 3, total: 3, pourcentage: 100 } });
    const bytes = await asBytes(await download(id));
    expect(bytes.equals(await streamed("csv"))).toBe(true);
    expect(bytes.toString("utf8")).not.toContain("coupé");
    // The parts of the run cut short are gone; the finished file's stay.
    expect(await h.db.collection("export_files").countDocuments({ job: id })).toBe(2);
    expect(await h.db.collection("export_files").countDocuments({ job: id, run: 1 })).toBe(0);

    // Kept a day: then the file is removed (it holds names and birth dates), the job stays as a record.
    expect(await h.keptExports()).toContain(id);
    expect(await h.exports.expire([id])).toEqual([]);
    h.clock.advance(24 * 3_600_000 + 1_000);
    expect(await h.exports.expire(await h.keptExports())).toContain(id);
    expect(await h.keptExports()).not.toContain(id);
    expect(await h.db.collection("export_files").countDocuments({ job: id })).toBe(0);
    const gone = await download(id);
    expect(gone.status).toBe(409);
    expect(((await gone.json()) as { error: { message: string } }).error.message).toContain("n'est plus gardé");
    const record = (await h.call("guichet", "GET", `/v1/exports/${id}`)).body;
    expect(record).toMatchObject({ status: "done", fichierSupprimeLe: expect.any(String) });
    expect(record).not.toHaveProperty("fichier");
  });
});

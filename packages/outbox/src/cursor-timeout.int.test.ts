import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import mongoose from "mongoose";
import { afterAll, beforeAll, expect, it } from "vitest";

// Decision 0009: FerretDB v1 never timed a cursor out, so a cursor a client left open held one of
// the database's 100 SQLite connections for as long as the client stayed connected. The runner's
// patch 0003 closes cursors idle for -cursor-idle-timeout (10 minutes by default, as MongoDB). This
// test starts its own runner (the binary infra/local/install.sh builds) with a timeout of 1 s.
const root = resolve(import.meta.dirname, "../../..");
const runnerDir = join(root, "infra/local/ferretdb-runner");

/** The path lib.sh's ferretdb_bin gives: a hash of the wrapper's sources and patches. */
function runnerBinary(): string {
  if (process.env.FERRETDB_RUNNER_BIN) return process.env.FERRETDB_RUNNER_BIN;
  const patches = readdirSync(join(runnerDir, "patches"))
    .filter((f) => f.endsWith(".patch"))
    .sort()
    .map((f) => join("patches", f));
  const hash = createHash("sha256");
  for (const f of ["go.mod", "go.sum", "main.go", ...patches]) hash.update(readFileSync(join(runnerDir, f)));
  const cache = process.env.LOGIS_CACHE ?? join(homedir(), ".cache/logis");
  return join(cache, "bin", `ferretdb-runner-${hash.digest("hex").slice(0, 12)}`);
}

const freePort = () =>
  new Promise<number>((done, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });

let server: ChildProcess | undefined;
let dataDir = "";
let url = "";

beforeAll(async () => {
  execFileSync("bash", [join(root, "infra/local/install.sh"), "ferretdb"], { stdio: "inherit" });
  dataDir = mkdtempSync(join(tmpdir(), "logis-cursor-timeout-"));
  const port = await freePort();
  url = `mongodb://127.0.0.1:${port}`;
  server = spawn(
    runnerBinary(),
    ["-listen-addr", `127.0.0.1:${port}`, "-sqlite-url", `file:${dataDir}/`, "-cursor-idle-timeout", "1s"],
    { stdio: "ignore" },
  );
}, 600_000);

afterAll(() => {
  server?.kill("SIGTERM");
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it("a cursor left open is closed once idle for the timeout; a cursor in use is not", async () => {
  let connection: mongoose.Connection | undefined;
  for (let attempt = 0; !connection; attempt++) {
    connection = await mongoose
      .createConnection(url, { dbName: "cursors", serverSelectionTimeoutMS: 1000 })
      .asPromise()
      .catch((error: unknown) => {
        if (attempt > 20) throw error;
        return undefined;
      });
  }
  const db = connection.db;
  if (!db) throw new Error("no db");
  const docs = db.collection<{ _id: number }>("docs");
  await docs.insertMany([1, 2, 3, 4, 5].map((_id) => ({ _id })));

  const kept = docs.find({}, { batchSize: 1 }).sort({ _id: 1 });
  expect(await kept.next()).toEqual({ _id: 1 }); // left open on the server, holding a connection
  const used = docs.find({}, { batchSize: 1 }).sort({ _id: 1 });
  expect(await used.next()).toEqual({ _id: 1 });
  for (const _id of [2, 3, 4]) {
    await new Promise((r) => setTimeout(r, 600));
    expect(await used.next()).toEqual({ _id }); // each getMore keeps it alive past the timeout
  }
  await expect(kept.next()).rejects.toMatchObject({ code: 43 }); // CursorNotFound, as on MongoDB
  await kept.close().catch(() => undefined);
  await used.close().catch(() => undefined);
  await connection.close();
}, 30_000);

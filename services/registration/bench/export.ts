// Issue 15: what an export job costs against the streamed export it replaces, in the same run. A
// département's stock is imported (the import bench's synthetic file), then exported alternately
// as a stream (GET /v1/exports, read to its end) and as a job (POST → parts stored → download of
// GET /v1/exports/:id/fichier), each measured end to end over HTTP; the files must be equal.
//   pnpm --filter @logis/registration bench:export [count] [rounds]
import { demoUsers } from "@logis/auth";
import { syntheticCsvFile } from "../src/testing/import-files.js";
import { benchService, rate } from "./common.js";

const count = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 3);
const svc = await benchService();
const caller = { principal: demoUsers.guichet, correlationId: "cor_bench" };
const auth = { authorization: `Bearer ${svc.token}` };

const file = syntheticCsvFile(count);
const imported = await svc.imports.start(caller, { format: "csv", departement: "69", file });
await imported.done;

/** This process's CPU seconds (service and client: the engines' own processes are not counted). */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function streamed(format: "csv" | "sne-xml") {
  const start = performance.now();
  const cpu0 = cpu();
  const res = await fetch(`${svc.base}/v1/exports?format=${format}&departement=69`, { headers: auth });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { seconds: (performance.now() - start) / 1000, cpu: cpu() - cpu0, bytes };
}

async function job(format: "csv" | "sne-xml") {
  const start = performance.now();
  const cpu0 = cpu();
  const res = await fetch(`${svc.base}/v1/exports`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ format, departement: "69" }),
  });
  const { id } = (await res.json()) as { id: string };
  // Followed as a client would, every 100 ms.
  for (;;) {
    const state = (await (await fetch(`${svc.base}/v1/exports/${id}`, { headers: auth })).json()) as {
      status: string;
    };
    if (state.status === "done") break;
    if (state.status !== "running") throw new Error(`export ${id}: ${state.status}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
  const written = (performance.now() - start) / 1000;
  const download = await fetch(`${svc.base}/v1/exports/${id}/fichier`, { headers: auth });
  const bytes = Buffer.from(await download.arrayBuffer());
  return { seconds: (performance.now() - start) / 1000, cpu: cpu() - cpu0, written, bytes };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
for (const format of ["csv", "sne-xml"] as const) {
  const s: number[] = [];
  const j: number[] = [];
  const w: number[] = [];
  const sc: number[] = [];
  const jc: number[] = [];
  let size = 0;
  for (let r = 0; r < rounds; r++) {
    const a = await streamed(format);
    const b = await job(format);
    if (!a.bytes.equals(b.bytes)) throw new Error(`${format}: the job's file differs from the stream`);
    size = a.bytes.length;
    s.push(a.seconds);
    j.push(b.seconds);
    w.push(b.written);
    sc.push(a.cpu);
    jc.push(b.cpu);
  }
  const mb = (size / 1e6).toFixed(1);
  console.log(
    `${format.padEnd(7)} streamed GET           : ${count} demands, ${mb} Mo, median ${median(s).toFixed(2)} s → ${rate(count, median(s))}`,
  );
  console.log(
    `${format.padEnd(7)} job (POST → done)      : median ${median(w).toFixed(2)} s → ${rate(count, median(w))}`,
  );
  console.log(
    `${format.padEnd(7)} job + download          : median ${median(j).toFixed(2)} s → ${rate(count, median(j))}; ratio to the stream ${(median(j) / median(s)).toFixed(2)} (runs: stream ${s.map((x) => x.toFixed(2)).join(", ")}; job ${j.map((x) => x.toFixed(2)).join(", ")})`,
  );
  console.log(
    `${format.padEnd(7)} CPU of this process    : stream ${median(sc).toFixed(2)} s, job + download ${median(jc).toFixed(2)} s, ratio ${(median(jc) / median(sc)).toFixed(2)}`,
  );
}
await svc.close();
process.exit(0);

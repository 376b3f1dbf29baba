import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("./new-service.mjs", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "logis-new-service-"));
const target = join(dir, "cal");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("pnpm new:service creates a service in the one shape", () => {
  it("copies the template's folders and renames the package, service, database, port, topic and harness", () => {
    const run = spawnSync(process.execPath, [script, "cal", "3004", "--into", target], { encoding: "utf8" });
    expect(run.status).toBe(0);
    const read = (path: string) => readFileSync(join(target, path), "utf8");
    expect(JSON.parse(read("package.json")).name).toBe("@logis/cal");
    expect(read("src/config.ts")).toContain('SERVICE = "cal"');
    expect(read("src/config.ts")).toContain('"logis-cal"');
    expect(read("src/config.ts")).toContain("port: 3004,");
    expect(read("src/domain/events.ts")).toContain('"cal.note.v1"');
    expect(read("src/compose.ts")).toContain("export async function composeCal(");
    expect(read("src/testing/harness.ts")).toContain("export async function calHarness(");
    for (const path of ["src/main.ts", "src/domain/note.ts", "src/app/ports.ts", "src/adapters/mongo/notes.ts"])
      expect(read(path).length).toBeGreaterThan(0);
    expect(read("src/main.ts")).not.toMatch(/template/i);
    expect(JSON.parse(read("tsconfig.json")).extends).toBe("../../tsconfig.base.json");
    // The kit's own start-up tests stay with the template.
    expect(() => read("src/main.int.test.ts")).toThrow();
  });

  it("refuses a bad name, a missing port or an existing folder", () => {
    const bad = spawnSync(process.execPath, [script, "Cal!", "3004", "--into", join(dir, "x")], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("lower-case");
    expect(spawnSync(process.execPath, [script, "cal"], { encoding: "utf8" }).status).toBe(2);
    const again = spawnSync(process.execPath, [script, "cal", "3004", "--into", target], { encoding: "utf8" });
    expect(again.stderr).toContain("exists already");
  });
});

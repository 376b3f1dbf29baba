import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { allStreams } from "./streams.js";

const dir = fileURLToPath(new URL("../fixtures/", import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
// An event version may appear on two streams (the demand topic's v1 and v2 share most events): one fixture.
const declared = [
  ...new Map(
    allStreams
      .flatMap((s) => s.events.map((e) => ({ stream: s, event: e, file: `${e.type}.v${e.version}.json` })))
      .map((d) => [d.file, d]),
  ).values(),
];

describe("event fixtures: one per type and version, all still parse", () => {
  it("every declared event version has a fixture, and every fixture a declared event", () => {
    expect(declared.length).toBeGreaterThan(0);
    expect(files.sort()).toEqual(declared.map((d) => d.file).sort());
  });

  it.each(declared.map((d) => [d.file, d] as const))(
    "%s parses with its event schema and its stream",
    (file, { stream, event }) => {
      const json = JSON.parse(readFileSync(`${dir}${file}`, "utf8"));
      expect(event.schema.safeParse(json).error).toBeUndefined();
      expect(stream.schema.safeParse(json).success).toBe(true);
    },
  );
});

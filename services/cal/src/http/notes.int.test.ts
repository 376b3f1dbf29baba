import { eventually, readTopic, testKafka } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOTE_TOPIC, noteStream } from "../domain/events.js";
import { calHarness } from "../testing/harness.js";

let h: Awaited<ReturnType<typeof calHarness>>;
beforeAll(async () => {
  h = await calHarness();
});
afterAll(() => h.close());

describe("a note through the service as it runs in production (real engines)", () => {
  it("written over REST, edited over tRPC, archived: the state, and one event per change on Kafka", async () => {
    const written = await h.call("guichet", "POST", "/v1/notes", { about: "069032600000100AA", text: "Appeler" });
    expect(written.status).toBe(201);
    const id = (written.body as { id: string }).id;
    const token = await h.token("guichet");
    const trpc = await fetch(`${h.base}/trpc/editNote`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ id, text: "Rappeler lundi" }),
    });
    expect(trpc.status).toBe(200);
    expect((await h.call("guichet", "POST", `/v1/notes/${id}/archivage`)).status).toBe(200);
    const edit = await h.call("guichet", "PUT", `/v1/notes/${id}`, { text: "encore" });
    expect(edit).toMatchObject({ status: 409, body: { error: { reason: "NOTE_ARCHIVED" } } });

    const events = await eventually(async () => {
      const found = (await readTopic(testKafka(), h.platform.topic(NOTE_TOPIC))).map((m) =>
        noteStream.schema.parse(JSON.parse(m.value?.toString() ?? "")),
      );
      expect(found).toHaveLength(3);
      return found;
    });
    expect(events.map((e) => [e.aggregateVersion, e.payload.status, e.payload.text])).toEqual([
      [1, "open", "Appeler"],
      [2, "open", "Rappeler lundi"],
      [3, "archived", "Rappeler lundi"],
    ]);
  });

  it("bad input names the field; a landlord without the permission is refused", async () => {
    const bad = await h.call("guichet", "POST", "/v1/notes", { about: "x", text: "" });
    expect(bad).toMatchObject({ status: 400, body: { error: { field: "text" } } });
    expect((await h.call("bailleur", "POST", "/v1/notes", { about: "x", text: "y" })).status).toBe(403);
  });
});

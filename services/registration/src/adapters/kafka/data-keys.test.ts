import { isAppError } from "@logis/domain";
import { describe, expect, it } from "vitest";
import { kafkaDataKeys } from "./data-keys.js";

// A registration waits a bounded time for its key's acknowledgement (issue 10, session 7's fault
// run: during a Kafka restart, registrations hung until the desk gave up, and were written later).
const topic = (name: string) => `t.${name}`;
const now = () => new Date("2026-11-30T10:00:00.000Z");

describe("publishing a demand's data key", () => {
  it("given a broker that does not acknowledge, when the deadline passes, then a retriable 503 and no wait beyond it", async () => {
    const sent: string[] = [];
    const silent = {
      sendRaw: (t: string) => {
        sent.push(t);
        return new Promise<void>(() => {}); // never acknowledged
      },
    };
    const keys = kafkaDataKeys(silent, topic, now, 50);
    const started = Date.now();
    const error = await keys.publish([{ kid: "dem_1", key: "k" }]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(isAppError(error) && error).toMatchObject({
      code: "UNAVAILABLE",
      reason: "ENGINE_UNAVAILABLE",
      retriable: true,
    });
    expect(sent).toEqual(["t.registration.demand-key.v1"]);
  });

  it("given a broker slower than the deadline, when a background job publishes, then it waits for the acknowledgement", async () => {
    let acknowledged = false;
    const slow = {
      sendRaw: () =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            acknowledged = true;
            resolve();
          }, 150),
        ),
    };
    await kafkaDataKeys(slow, topic, now, 50).publish([{ kid: "dem_1", key: "k" }], { untilAcknowledged: true });
    expect(acknowledged).toBe(true);
  });

  it("given a broker that acknowledges, then the key record is sent keyed by the demand, and publish resolves", async () => {
    const records: { key: string; value: string | null }[] = [];
    const keys = kafkaDataKeys(
      { sendRaw: async (_t, messages) => void records.push(...(messages as typeof records)) },
      topic,
      now,
      50,
    );
    await keys.publish([{ kid: "dem_1", key: "k" }]);
    expect(records).toHaveLength(1);
    expect(records[0]?.key).toBe("dem_1");
    expect(JSON.parse(records[0]?.value ?? "{}")).toEqual({
      kid: "dem_1",
      key: "k",
      createdAt: "2026-11-30T10:00:00.000Z",
    });
  });
});

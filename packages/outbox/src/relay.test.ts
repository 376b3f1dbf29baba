import type { TopicBatch, TransactionalPublisher } from "@logis/kafka";
import { createLogger } from "@logis/observability";
import { describe, expect, it } from "vitest";
import type { OutboxEntry } from "./entries.js";
import { type PublishedMarks, startOutboxRelay } from "./relay.js";
import type { OutboxStore, PendingDocument } from "./store.js";

// The relay's own logic, with the outbox and Kafka as plain ports (the real engines are exercised by
// the integration tests of this package and by the fault script).
const logger = createLogger({ service: "relay-test", level: "silent" });

const entry = (eventId: string): OutboxEntry => ({
  eventId,
  topic: "registration.demand.v1",
  envelope: JSON.stringify({ eventId, aggregateId: "dem_1" }),
  traceHeaders: {},
});

function storeOf(docs: PendingDocument[]): OutboxStore & { acknowledged: unknown[] } {
  const pending = [...docs];
  const acknowledged: unknown[] = [];
  return {
    name: "demands",
    acknowledged,
    async fetchPending(limit) {
      return pending.slice(0, limit);
    },
    async acknowledge(published) {
      for (const doc of published) {
        const i = pending.findIndex((d) => d.id === doc.id);
        if (i >= 0) pending.splice(i, 1);
        acknowledged.push(doc.id);
      }
      return published.length;
    },
  };
}

const recordingPublisher = (): TransactionalPublisher & { sent: string[] } => {
  const sent: string[] = [];
  return {
    sent,
    async publishAll(batches: readonly TopicBatch[]) {
      for (const b of batches) for (const e of b.events) sent.push(e.envelope.eventId);
    },
    async disconnect() {},
  };
};

describe("outbox relay", () => {
  it("acknowledges what it published even when the publication marks cannot be written (Redis restarting): nothing is sent twice", async () => {
    const store = storeOf([{ id: "dem_1", entries: [entry("evt_1"), entry("evt_2")] }]);
    const producer = recordingPublisher();
    const downMarks: PublishedMarks = {
      published: async () => new Set(),
      add: async () => {
        throw Object.assign(new Error("Reached the max retries per request limit"), {
          name: "MaxRetriesPerRequestError",
        });
      },
      remove: async () => {
        throw new Error("Redis is down");
      },
    };
    const relay = startOutboxRelay({ stores: [store], producer, logger, published: downMarks, idleMs: 5 });
    await relay.flush();
    await relay.flush();
    await relay.stop();
    expect(producer.sent).toEqual(["evt_1", "evt_2"]);
    expect(store.acknowledged).toEqual(["dem_1"]);
  });

  it("events marked published by an attempt whose acknowledgement failed are acknowledged without being sent again", async () => {
    const store = storeOf([{ id: "dem_1", entries: [entry("evt_1"), entry("evt_2")] }]);
    const producer = recordingPublisher();
    const marks = new Set(["evt_1"]);
    const relay = startOutboxRelay({
      stores: [store],
      producer,
      logger,
      idleMs: 5,
      published: {
        published: async (ids) => new Set(ids.filter((id) => marks.has(id))),
        add: async (ids) => {
          for (const id of ids) marks.add(id);
        },
        remove: async (ids) => {
          for (const id of ids) marks.delete(id);
        },
      },
    });
    await relay.flush();
    await relay.stop();
    expect(producer.sent).toEqual(["evt_2"]);
    expect(store.acknowledged).toEqual(["dem_1"]);
    expect(marks.size).toBe(0);
  });
});

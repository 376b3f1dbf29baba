import {
  type AnyEnvelope,
  type DemandDataKey,
  type DemandEvent,
  newDataKey,
  type SealedDemandEvent,
  sealDemandEvent,
} from "@logis/contracts";

/** What a harness needs of a service's producer to play registration. */
interface Publisher {
  publish(topic: string, events: readonly { envelope: AnyEnvelope }[]): Promise<void>;
  sendRaw(topic: string, messages: readonly { key: string | null; value: string | null }[]): Promise<void>;
}

/**
 * Plays registration's part on the demand topic for consumers' tests (decision 0012): each demand
 * gets a data key, published on the key topic before its first event, and its facts are sealed.
 */
export function demandEventsPublisher(producer: Publisher, topics: { demand: string; demandKey: string }) {
  const keys = new Map<string, string>();
  return {
    /** The data key of a demand already published (tests that open events themselves). */
    keyOf: (demandId: string) => keys.get(demandId),
    /** Seals events in clear and publishes them, their demands' new keys first. */
    async publish(events: readonly DemandEvent[]): Promise<SealedDemandEvent[]> {
      const fresh: DemandDataKey[] = [];
      for (const e of events) {
        if (keys.has(e.aggregateId)) continue;
        const record = { kid: e.aggregateId, key: newDataKey(), createdAt: new Date().toISOString() };
        keys.set(e.aggregateId, record.key);
        fresh.push(record);
      }
      if (fresh.length > 0)
        await producer.sendRaw(
          topics.demandKey,
          fresh.map((r) => ({ key: r.kid, value: JSON.stringify(r) })),
        );
      const sealed = events.map((e) => sealDemandEvent(e, keys.get(e.aggregateId) as string));
      await producer.publish(
        topics.demand,
        sealed.map((envelope) => ({ envelope })),
      );
      return sealed;
    },
    /**
     * Destroys a demand's key as registration does at purge: a tombstone on the key topic. Events
     * published afterwards for it are still sealed with the destroyed key (events a lagging
     * consumer reads after the purge).
     */
    async shred(demandId: string) {
      await producer.sendRaw(topics.demandKey, [{ key: demandId, value: null }]);
    },
  };
}

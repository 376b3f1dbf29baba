import type { EventDefinition } from "@logis/contracts";
import type { z } from "zod";

/**
 * What a decider emits: the event type and its payload. The aggregate store wraps it in the
 * envelope of its contract (`createEvent(definition, …)`: ids, version, time of writing, actor).
 */
export interface DomainEvent<D extends EventDefinition> {
  readonly type: D["type"];
  readonly payload: z.infer<D["payload"]>;
}

export const domainEvent = <D extends EventDefinition>(
  definition: D,
  payload: z.infer<D["payload"]>,
): DomainEvent<D> => ({
  type: definition.type,
  payload,
});

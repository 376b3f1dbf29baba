import { z } from "zod";
import type { EventDefinition } from "./envelope.js";

/** A topic and the event versions that may appear on it. */
export interface EventStream<D extends EventDefinition = EventDefinition> {
  readonly topic: string;
  readonly events: readonly D[];
  /** Parses any event of the stream; unknown types or versions fail. */
  readonly schema: z.ZodType<z.infer<D["schema"]>>;
}

export function defineStream<const D extends readonly EventDefinition[]>(
  topic: string,
  events: D,
): EventStream<D[number]> {
  const [first, ...rest] = events.map((e) => e.schema);
  if (!first) throw new Error(`stream ${topic} declares no event`);
  const schema = rest.length === 0 ? first : z.union([first, ...rest]);
  return { topic, events, schema: schema as unknown as z.ZodType<z.infer<D[number]["schema"]>> };
}

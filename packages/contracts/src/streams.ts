import { attributionStream, sessionStream } from "./cal/events.js";
import { gridStream, scoreStream } from "./cotation/events.js";
import { conventionStream, orientationStream, unitStream } from "./flux/events.js";
import { demandStream, demandStreamV1, duplicateStream } from "./registration/events.js";
import { alertStream } from "./reporting/alerts.js";
import type { EventStream } from "./stream.js";

/** Every stream of the platform: the fixtures test walks all of them. */
export const allStreams: readonly EventStream[] = [
  demandStream,
  demandStreamV1,
  duplicateStream,
  gridStream,
  scoreStream,
  unitStream,
  conventionStream,
  orientationStream,
  sessionStream,
  attributionStream,
  alertStream,
];

import type { LongJob } from "@logis/domain";

export { interrupted, progressOf } from "@logis/domain";

/** What every background job document of registration (import, duplicate scan) carries. */
export interface JobBase extends LongJob {
  departement: string;
}

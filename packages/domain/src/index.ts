export { civilDay, civilMonth, frenchDate, PARIS } from "./civil-time.js";
export { type Clock, type ManualClock, manualClock, systemClock } from "./clock.js";
export { type Decider, replay } from "./decider.js";
export {
  AppError,
  type AppErrorOptions,
  describeZodIssues,
  ErrorCode,
  isAppError,
  parseOrThrow,
  validationError,
} from "./errors.js";
export { fieldLabel, useFrenchValidationMessages } from "./french-messages.js";
export { type IdPrefix, newId } from "./ids.js";
export { interrupted, JOB_SILENCE_MS, type LongJob, progressOf } from "./long-jobs.js";
export { err, ok, type Result } from "./result.js";

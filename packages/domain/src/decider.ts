import type { AppError } from "./errors.js";
import type { Result } from "./result.js";

/**
 * An aggregate's rules as pure functions (no I/O, no clock, no configuration read): given the
 * current state and a command, the events or a typed error; given the state and an event, the next
 * state. Time, ids and reference data come in through `context`, which the use case builds (the
 * clock's now, the legal rules loaded in compose.ts, the caller). A use case loads the state,
 * decides, then stores the events with the aggregate store; tests read given / when / then.
 */
export interface Decider<State, Command, Event, Context = void> {
  /** The state before the first event (usually `undefined`: the aggregate does not exist yet). */
  readonly initialState: State;
  decide(state: State, command: Command, context: Context): Result<readonly Event[], AppError>;
  evolve(state: State, event: Event): State;
}

/** Folds events over the initial state: how a state is rebuilt (and how tests set their `given`). */
export const replay = <State, Event>(
  decider: Pick<Decider<State, never, Event, never>, "initialState" | "evolve">,
  events: readonly Event[],
  from: State = decider.initialState,
): State => events.reduce(decider.evolve, from);

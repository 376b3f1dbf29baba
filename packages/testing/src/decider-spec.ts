import { type AppError, type Decider, replay } from "@logis/domain";

export interface Outcome<State, Event> {
  /** The events decided (undefined when the command was refused). */
  events: readonly Event[] | undefined;
  /** The refusal (undefined when the command was accepted). */
  error: AppError | undefined;
  /** The state after the decided events (the given state when refused). */
  state: State;
}

/**
 * Given / when / then over a decider, with no engine: `given(e1, e2).when(command, context)` folds
 * the given events, decides, and applies what was decided. Tests then assert on the outcome.
 */
export function deciderSpec<State, Command, Event, Context>(decider: Decider<State, Command, Event, Context>) {
  return {
    given: (...events: Event[]) => ({
      when(command: Command, context: Context): Outcome<State, Event> {
        const before = replay(decider, events);
        const decided = decider.decide(before, command, context);
        if (!decided.ok) return { events: undefined, error: decided.error, state: before };
        return { events: decided.value, error: undefined, state: replay(decider, decided.value, before) };
      },
    }),
  };
}

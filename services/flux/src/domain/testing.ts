import type { AppError, Decider } from "@logis/domain";
import { replay } from "@logis/domain";
import { expect } from "vitest";

/**
 * Given / when / then over a decider (emmett's DeciderSpecification):
 * `spec(decider, context).given(...events).when(command).then([...events])` or `.thenError({ code, reason })`.
 */
export function spec<S, C, E, X>(decider: Decider<S, C, E, X>, context: X) {
  return {
    given: (...history: readonly E[]) => ({
      when: (command: C) => {
        const state = replay(decider as never, history) as S;
        const result = decider.decide(state, command, context);
        return {
          /** The events decided, for assertions beyond equality. */
          events: (): readonly E[] => {
            if (!result.ok) throw new Error(`refused: ${result.error.message}`);
            return result.value;
          },
          // biome-ignore lint/suspicious/noThenProperty: given / when / then is the specification's wording; this object is never awaited
          then: (expected: readonly E[]) => {
            if (!result.ok)
              throw new Error(
                `expected events, got ${result.error.code} ${result.error.reason}: ${result.error.message}`,
              );
            expect(result.value).toEqual(expected);
          },
          thenError: (
            expected: Partial<Pick<AppError, "code" | "reason" | "field">> & { message?: RegExp },
          ): AppError => {
            if (result.ok)
              throw new Error(
                `expected an error, got events ${JSON.stringify(result.value.map((e) => (e as { type: string }).type))}`,
              );
            const { message, ...fields } = expected;
            expect(result.error).toMatchObject(fields);
            if (message) expect(result.error.message).toMatch(message);
            return result.error;
          },
        };
      },
    }),
  };
}

/** Folds events with the decider's evolve: the state a sequence of events leads to. */
export const stateAfter = <S, E>(
  decider: Pick<Decider<S, never, E, never>, "initialState" | "evolve">,
  events: readonly E[],
): S => replay(decider, events);

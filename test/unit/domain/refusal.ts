import { DomainError } from '../../../functions/domain/errors';

/** The DomainError a call is refused with; fails the test when the call succeeds or fails otherwise. */
export async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to be refused');
    },
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw error;
  return error;
}

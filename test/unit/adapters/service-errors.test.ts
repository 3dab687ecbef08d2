import { describe, expect, it } from 'vitest';
import { isUnavailable, SERVICE_UNAVAILABLE, workflowStep } from '../../../functions/adapters/service-errors';
import { StaleWriteError } from '../../../functions/domain/errors';

const named = (name: string, code?: string) => Object.assign(new Error(name), { name, ...(code ? { code } : {}) });

describe('isUnavailable', () => {
  it.each([
    ['a refused connection', named('Error', 'ECONNREFUSED')],
    ['a reset connection', named('Error', 'ECONNRESET')],
    ['the client giving up on an answer', named('TimeoutError', 'ETIMEDOUT')],
    ['throttling', named('ThrottlingException')],
    ['exceeded throughput', named('ProvisionedThroughputExceededException')],
    ['a service error', named('InternalServerError')],
  ])('says yes to %s', (_what, error) => {
    expect(isUnavailable(error)).toBe(true);
  });

  it.each([
    ['a refused condition', named('ConditionalCheckFailedException')],
    ['a bad request', named('ValidationException')],
    ['a lost race', new StaleWriteError()],
    ['something that is not an error', 'ECONNREFUSED'],
  ])('says no to %s', (_what, error) => {
    expect(isUnavailable(error)).toBe(false);
  });
});

describe('workflowStep', () => {
  it('raises an outage under the name the state machine retries, keeping the cause', async () => {
    const cause = named('Error', 'ECONNREFUSED');
    const thrown = await workflowStep(async () => {
      throw cause;
    }).catch((error: Error) => error);
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).name).toBe(SERVICE_UNAVAILABLE);
    expect((thrown as Error).cause).toBe(cause);
  });

  it('leaves every other error as it is (Request.Conflict keeps its own retry)', async () => {
    const stale = new StaleWriteError();
    await expect(workflowStep(async () => Promise.reject(stale))).rejects.toBe(stale);
    expect(stale.name).toBe('Request.Conflict');
  });

  it('returns what the step returns', async () => {
    expect(await workflowStep(async () => ({ next: 'await' }))).toEqual({ next: 'await' });
  });
});

import { inRequestScope } from './request-scope';
/** SDK error names that mean "a backing service did not answer (in time)": trying again later may work. */
const UNAVAILABLE_NAMES = new Set([
  'TimeoutError',
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalFailure',
  'TooManyRequestsException',
]);

/** Socket errors of a service that is down, unreachable or hung up. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ECONNABORTED']);

/**
 * Whether an error says that DynamoDB, Step Functions or SES could not be reached or did not answer
 * (throttling included), as opposed to a refusal of the request itself. Such a call wrote nothing
 * that a condition did not guard, so the caller may try again.
 */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code;
  return UNAVAILABLE_NAMES.has(error.name) || UNAVAILABLE_CODES.has(code ?? '');
}

/**
 * The error name a workflow step raises when a backing service is unavailable. The approval state
 * machine retries exactly this name (with backoff, bounded), so an outage of a few minutes delays a
 * step instead of failing its execution.
 */
export const SERVICE_UNAVAILABLE = 'Service.Unavailable';

export class ServiceUnavailableError extends Error {
  constructor(cause: Error) {
    super(`A backing service is unavailable: ${cause.name}: ${cause.message}`, { cause });
    this.name = SERVICE_UNAVAILABLE;
  }
}

/**
 * Runs a workflow step; an outage surfaces under the name the state machine retries. Every other
 * error keeps its own name (Request.Conflict is retried too; a genuine failure fails the execution).
 */
export async function workflowStep<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await inRequestScope(run);
  } catch (error) {
    if (isUnavailable(error)) throw new ServiceUnavailableError(error as Error);
    throw error;
  }
}

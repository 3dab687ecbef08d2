import type { Text } from './text';

/** A problem with one field of the input, addressed by a dot-separated path from the body root. */
export interface FieldIssue {
  path: string;
  messages: Text;
}

/**
 * An error meant for the user: it carries its HTTP status and a bilingual message, and the HTTP
 * adapter maps it to the documented error shape once. Anything that is not a DomainError is a fault
 * of ours and answers 500 without detail.
 */
export class DomainError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 410,
    readonly code: string,
    readonly messages: Text,
    readonly issues: FieldIssue[] = [],
  ) {
    super(messages.en);
    this.name = 'DomainError';
  }
}

export const validationFailed = (issues: FieldIssue[]) =>
  new DomainError(400, 'validation_failed', { ja: '入力内容に誤りがあります。', en: 'Some fields are not valid.' }, issues);

export const badRequest = (messages: Text) => new DomainError(400, 'bad_request', messages);
export const forbidden = (messages: Text) => new DomainError(403, 'forbidden', messages);
export const notFound = (messages: Text) => new DomainError(404, 'not_found', messages);
export const conflict = (messages: Text) => new DomainError(409, 'conflict', messages);
export const gone = (messages: Text) => new DomainError(410, 'gone', messages);

/**
 * A write lost a race with another writer of the same record (its version moved on). Operations
 * re-read and try again; the workflow retries it under this name (see the ASL Retry blocks).
 */
export class StaleWriteError extends Error {
  constructor(message = 'The record changed while it was being written.') {
    super(message);
    this.name = 'Request.Conflict';
  }
}

/** A conditional write found its target in another state than expected (not a version race). */
export class ConditionFailedError extends Error {
  constructor(
    readonly target: 'task' | 'link' | 'ledger' | 'request' | 'seats' | 'claim',
    /** The ledger operation that was refused, when it was one. */
    readonly op?: unknown,
  ) {
    super(`The ${target} was not in the expected state.`);
    this.name = 'ConditionFailedError';
  }
}

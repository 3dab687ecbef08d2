import { AsyncLocalStorage } from 'node:async_hooks';

/** What one unit of work (an API call, a workflow step) reads once and shares among its reads. */
export interface RequestScope {
  /** The directory's version as this unit of work read it (see cached-directory.ts). */
  directoryVersion?: Promise<number>;
}

const scopes = new AsyncLocalStorage<RequestScope>();

/** Runs one API call or workflow step in a scope of its own. */
export function inRequestScope<T>(run: () => Promise<T>): Promise<T> {
  return scopes.run({}, run);
}

/** The scope of the unit of work under way, if any. */
export function currentScope(): RequestScope | undefined {
  return scopes.getStore();
}

/** Directory changes made by this process (see directoryChangesHere). */
let changes = 0;

/**
 * Called after this unit of work changed the directory: what it reads next must be read at the new
 * version (a role handed over is followed by moving the open tasks to the new holder).
 */
export function directoryChanged(): void {
  changes++;
  const scope = currentScope();
  if (scope) scope.directoryVersion = undefined;
}

/** How many times this process changed the directory: a version read before the last change is not used again. */
export const directoryChangesHere = (): number => changes;

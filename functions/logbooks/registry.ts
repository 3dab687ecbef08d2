import type { LogbookDefinition, LogbookId } from '../domain/logbooks';
import { accessLogReview } from './access-log-review';
import { cabinetLocking } from './cabinet-locking';
import { lastExitCheck } from './last-exit-check';
import { serverRoomAccess } from './server-room-access';
import { visitorReception } from './visitor-reception';

/** The five logbooks of the regulations, L1 to L5, in that order. */
export const logbookRegistry: ReadonlyMap<LogbookId, LogbookDefinition> = new Map(
  [cabinetLocking, lastExitCheck, visitorReception, serverRoomAccess, accessLogReview].map((definition) => [definition.id, definition] as const),
);

import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs, one logger per process (Powertools reads POWERTOOLS_SERVICE_NAME and the log level). */
export const logger = new Logger();

import { Logger } from '@aws-lambda-powertools/logger';

/** The one structured logger (Powertools); level from POWERTOOLS_LOG_LEVEL (default INFO). */
export const logger = new Logger({ serviceName: 'iris' });

import { ingestSchema, loadConfig, serviceSchema, type IngestConfig, type ServiceConfig } from 'sluice';

/**
 * The ingest service's configuration schema: the shared service blocks (kafka, redis, metrics,
 * log, query) and its own limits (ingest: buffer bounds, line/record size, connections,
 * Kafka retries, drain time on SIGTERM).
 */
export const schema = { ...serviceSchema, ...ingestSchema };

export type IngestServiceConfig = ServiceConfig & IngestConfig;

export function loadIngestConfig(): IngestServiceConfig {
  return loadConfig<IngestServiceConfig>(schema);
}

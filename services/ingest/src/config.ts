import { loadConfig, serviceSchema, type ServiceConfig } from 'sluice';

/** The ingest service's configuration schema: the shared service blocks (kafka, redis, metrics, log, query). */
export const schema = { ...serviceSchema };

export type IngestConfig = ServiceConfig;

export function loadIngestConfig(): IngestConfig {
  return loadConfig<IngestConfig>(schema);
}

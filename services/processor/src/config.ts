import { commonSchema, loadConfig, type CommonConfig } from 'sluice';

/** The processor service's configuration: the shared blocks plus the query it serves. */
const schema = {
  ...commonSchema,
  query: {
    plan: {
      doc: 'Path of the query plan document (JSON, as `sluice plan` writes it).',
      format: String,
      default: '',
      env: 'SLUICE_QUERY_PLAN',
    },
  },
};

export interface ProcessorConfig extends CommonConfig {
  readonly query: { readonly plan: string };
}

export function loadProcessorConfig(): ProcessorConfig {
  return loadConfig<ProcessorConfig>(schema);
}

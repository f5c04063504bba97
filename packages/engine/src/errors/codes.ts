/** Every error code Sluice raises. Codes are stable: users and tests match on them. */
export const ERROR_CODES = [
  'ANALYSIS_ERROR',
  'PARSE_ERROR',
  'RUNTIME_ERROR',
  'INVALID_CONFIG',
  'INVALID_OPTION',
  'INVALID_PLAN',
  'SOURCE_ERROR',
  'SINK_ERROR',
  'CHECKPOINT_ERROR',
  'ILLEGAL_STATE',
  'ILLEGAL_ARGUMENT',
  'LOCAL_STACK_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

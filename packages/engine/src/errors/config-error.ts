import { StreamError, type StreamErrorOptions } from './stream-error.js';

/** Bad configuration: names the key, the bad value and what is allowed. */
export class ConfigError extends StreamError {
  readonly configKey: string;
  readonly value: unknown;
  readonly allowed: string;

  constructor(configKey: string, value: unknown, allowed: string, options: StreamErrorOptions = {}) {
    super(
      'INVALID_CONFIG',
      `invalid configuration: ${configKey} = ${JSON.stringify(value) ?? String(value)}; allowed: ${allowed}`,
      options,
    );
    this.configKey = configKey;
    this.value = value;
    this.allowed = allowed;
  }
}

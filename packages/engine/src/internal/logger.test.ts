import { jest } from '@jest/globals';
import { createLogger } from './logger.js';
import { REDACTED, registerSecret } from './secrets.js';

describe('logger', () => {
  it('writes no secret: registered values, URL and JAAS passwords are hidden in every field', () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      registerSecret('log-secret-42');
      createLogger({ component: 'test' }).warn('redis connection error', {
        err: new Error('AUTH failed for log-secret-42'),
        url: 'rediss://app:in-url-pw@h:6380',
        jaas: 'ScramLoginModule required username="u" password="jaas-pw-1";',
      });
    } finally {
      spy.mockRestore();
    }
    const line = lines.join('');
    expect(line).toContain('"msg":"redis connection error"');
    for (const secret of ['log-secret-42', 'in-url-pw', 'jaas-pw-1']) expect(line).not.toContain(secret);
    expect(line).toContain(REDACTED);
    expect(line).toContain('rediss://app:***@h:6380');
    expect(() => JSON.parse(line) as unknown).not.toThrow();
  });
});

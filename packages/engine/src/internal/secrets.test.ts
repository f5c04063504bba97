import {
  isReferenceOnly, isSecretKey, redactJaasConfig, redactOption, redactText, REDACTED, registerSecret, resolveReferences, secretReferences,
} from './secrets.js';

const never = (name: string): never => {
  throw new RangeError(`missing ${name}`);
};

describe('secrets', () => {
  it("a key is secret as Spark's spark.redaction.regex says, and Kafka's JAAS line and inline key are", () => {
    for (const key of ['kafka.ssl.key.password', 'kafka.ssl.truststore.password', 'spark.secret', 'token', 'fs.s3a.access.key', 'kafka.sasl.jaas.config', 'sasl.jaas.config', 'kafka.ssl.keystore.key']) {
      expect({ key, secret: isSecretKey(key) }).toEqual({ key, secret: true });
    }
    for (const key of ['kafka.bootstrap.servers', 'kafka.sasl.mechanism', 'kafka.ssl.truststore.location', 'subscribe', 'kafka.ssl.keystore.location']) {
      expect({ key, secret: isSecretKey(key) }).toEqual({ key, secret: false });
    }
  });

  it("an option's literal secret prints as Spark's *********(redacted); a reference prints as written", () => {
    expect(REDACTED).toBe('*********(redacted)');
    expect(redactOption('kafka.ssl.key.password', 'hunter22')).toBe(REDACTED);
    expect(redactOption('kafka.ssl.key.password', '${env:KEY_PW}')).toBe('${env:KEY_PW}');
    expect(redactOption('subscribe', 'topic')).toBe('topic');
    const jaas = 'org.apache.kafka.common.security.scram.ScramLoginModule required username="app" password="hunter22";';
    expect(redactOption('kafka.sasl.jaas.config', jaas)).toBe(`org.apache.kafka.common.security.scram.ScramLoginModule required username="app" password="${REDACTED}";`);
    expect(redactJaasConfig('x required username=u password=bare;')).toBe(`x required username=u password="${REDACTED}";`);
    const referenced = 'x required username="app" password="${env:KAFKA_PW}";';
    expect(redactJaasConfig(referenced)).toBe(referenced);
  });

  it('references: ${env:NAME} as in Spark configuration, resolved from a lookup, a missing one reported', () => {
    expect(secretReferences('a${env:ONE}b${env:TWO_2}')).toEqual(['ONE', 'TWO_2']);
    expect(isReferenceOnly('${env:ONE}')).toBe(true);
    expect(isReferenceOnly('${env:ONE}${env:TWO}')).toBe(true);
    expect(isReferenceOnly('x${env:ONE}')).toBe(false);
    expect(isReferenceOnly('')).toBe(false);
    const env: Record<string, string> = { ONE: '1', TWO: 'two' };
    expect(resolveReferences('password="${env:ONE}" ${env:TWO}', (n) => env[n], never)).toBe('password="1" two');
    expect(() => resolveReferences('${env:NOPE}', (n) => env[n], never)).toThrow('missing NOPE');
  });

  it('text: registered values (also JSON-escaped and URL-encoded), URL passwords and JAAS passwords are hidden', () => {
    registerSecret('s3cr"et/pw');
    expect(redactText('auth with s3cr"et/pw failed')).toBe(`auth with ${REDACTED} failed`);
    expect(redactText(JSON.stringify({ msg: 'pw s3cr"et/pw' }))).toBe(JSON.stringify({ msg: `pw ${REDACTED}` }));
    expect(redactText('rediss://app:s3cr%22et%2Fpw@h:6380')).not.toContain('s3cr');
    expect(redactText('cannot reach redis://user:other-pass@10.0.0.1:6379/0 now')).toBe('cannot reach redis://user:***@10.0.0.1:6379/0 now');
    expect(redactText('rediss+cluster://:pw9@h1:7000,h2:7001')).toBe('rediss+cluster://:***@h1:7000,h2:7001');
    const line = JSON.stringify({ jaas: 'ScramLoginModule required username="u" password="p@ss w0rd";' });
    expect(redactText(line)).toBe(JSON.stringify({ jaas: `ScramLoginModule required username="u" password="${REDACTED}";` }));
    expect(redactText('password="${env:KAFKA_PW}"')).toBe('password="${env:KAFKA_PW}"');
  });

  it('short values are not registered (they would hide ordinary words), nor references', () => {
    registerSecret('abc');
    registerSecret('${env:LONG_NAME}');
    expect(redactText('abc ${env:LONG_NAME}')).toBe('abc ${env:LONG_NAME}');
  });
});

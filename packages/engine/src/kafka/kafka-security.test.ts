import { ConfigError } from '../errors/config-error.js';
import { OptionError } from '../errors/option-error.js';
import { redactText, REDACTED } from '../internal/secrets.js';
import {
  checkKafkaSecurity, KafkaSecuritySettings, resolveKafkaSecurity, securityOptionsOf, type SecuritySetting, type SettingOrigin,
} from './kafka-security.js';

const SCRAM = 'org.apache.kafka.common.security.scram.ScramLoginModule';
const PLAIN = 'org.apache.kafka.common.security.plain.PlainLoginModule';

/** Settings as a program's `kafka.*` options (or the configuration) give them. */
function settings(props: Readonly<Record<string, string>>, origin: SettingOrigin = 'option'): KafkaSecuritySettings {
  const label = (key: string): string => (origin === 'option' ? `kafka.${key}` : `conf ${key}`);
  const entries = new Map<string, SecuritySetting>(Object.entries(props).map(([key, value]) => [key, { key, value, label: label(key), origin }]));
  return new KafkaSecuritySettings(entries, (key) => ({ key, value: '', label: label(key), origin }));
}

function refusal(run: () => unknown): Error {
  try {
    run();
  } catch (err) {
    return err as Error;
  }
  throw new RangeError('not refused');
}

const SASL_SSL = { 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'SCRAM-SHA-512', 'sasl.jaas.config': `${SCRAM} required username="app" password="\${env:PW}";` };

describe('Kafka security options', () => {
  it('takes the security options among a source\'s kafka.* options, keys in any case', () => {
    const found = securityOptionsOf({ 'kafka.bootstrap.servers': 'h:1', 'kafka.Security.Protocol': 'SSL', 'kafka.ssl.truststore.location': '/ca.pem', 'kafka.SASL.mechanism': 'PLAIN', subscribe: 't' });
    expect([...found]).toEqual([['security.protocol', 'SSL'], ['ssl.truststore.location', '/ca.pem'], ['sasl.mechanism', 'PLAIN']]);
  });

  it.each([
    [{ 'security.protocol': 'TLS' }, 'kafka.security.protocol = "TLS"; allowed: PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL'],
    [{ ...SASL_SSL, 'sasl.mechanism': 'GSSAPI' }, 'kafka.sasl.mechanism = "GSSAPI"; allowed: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 (GSSAPI/Kerberos and OAUTHBEARER are not supported)'],
    [{ ...SASL_SSL, 'sasl.mechanism': 'OAUTHBEARER' }, 'kafka.sasl.mechanism = "OAUTHBEARER"; allowed: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512'],
    [{ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.jaas.config': `${PLAIN} required username="a" password="b";` }, 'kafka.sasl.mechanism = "GSSAPI"; allowed: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512: it is not set, and Kafka\'s default GSSAPI (Kerberos) is not supported'],
    [{ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN' }, `kafka.sasl.jaas.config = ""; allowed: a JAAS line such as ${PLAIN} required username="…" password="\${env:KAFKA_SASL_PASSWORD}";`],
    [{ ...SASL_SSL, 'sasl.jaas.config': `${PLAIN} required username="a" password="hunter22";` }, `kafka.sasl.jaas.config = "${PLAIN} required username=\\"a\\" password=\\"${REDACTED}\\";"; allowed: for SCRAM-SHA-512, ${SCRAM} required`],
    [{ ...SASL_SSL, 'sasl.jaas.config': `${SCRAM} required username="a";` }, 'allowed: a JAAS line with password="…"'],
    [{ ...SASL_SSL, 'sasl.jaas.config': `${SCRAM} username="a";` }, 'allowed: one JAAS login module line (the login module must be followed by one of required'],
    [{ 'security.protocol': 'SSL', 'ssl.truststore.type': 'JKS', 'ssl.truststore.location': '/ts.jks' }, 'kafka.ssl.truststore.type = "JKS"; allowed: PEM (Sluice\'s client reads PEM: export the CA with keytool -exportcert -rfc'],
    [{ 'security.protocol': 'SSL', 'ssl.keystore.type': 'PKCS12' }, 'kafka.ssl.keystore.type = "PKCS12"; allowed: PEM (Sluice\'s client reads PEM: convert with keytool -importkeystore'],
    [{ 'security.protocol': 'SSL', 'ssl.truststore.password': 'changeit' }, `kafka.ssl.truststore.password = "${REDACTED}"; allowed: no password: a PEM store has none`],
    [{ 'security.protocol': 'SSL', 'ssl.truststore.location': '/a', 'ssl.truststore.certificates': '-----BEGIN' }, 'allowed: either kafka.ssl.truststore.location or kafka.ssl.truststore.certificates, not both'],
    [{ 'security.protocol': 'SSL', 'ssl.keystore.key': 'k' }, 'allowed: kafka.ssl.keystore.key and kafka.ssl.keystore.certificate.chain together'],
    [{ 'security.protocol': 'SSL', 'ssl.endpoint.identification.algorithm': 'dns' }, 'kafka.ssl.endpoint.identification.algorithm = "dns"; allowed: https'],
    [{ 'sasl.login.callback.handler.class': 'x.Y' }, 'kafka.sasl.login.callback.handler.class = "x.Y"; allowed: the Kafka security options Sluice\'s client supports: kafka.security.protocol, kafka.sasl.mechanism'],
  ])('an option Sluice cannot honour is refused with the key, the value and what is allowed: %j', (props, message) => {
    const err = refusal(() => checkKafkaSecurity(settings(props)));
    expect(err).toBeInstanceOf(OptionError);
    expect((err as OptionError).code).toBe('INVALID_OPTION');
    expect(err.message).toContain(message);
    expect(err.message).not.toContain('hunter22');
  });

  it('the same mistakes in the configuration are ConfigErrors naming the configuration key', () => {
    const err = refusal(() => checkKafkaSecurity(settings({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'GSSAPI' }, 'config')));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe('invalid configuration: conf sasl.mechanism = "GSSAPI"; allowed: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 (GSSAPI/Kerberos and OAUTHBEARER are not supported)');
    // Configured credentials need no JAAS line; a key only the configuration has is not an option.
    expect(() => checkKafkaSecurity(settings({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN', 'sasl.username': 'u', 'sasl.password': 'p' }, 'config'))).not.toThrow();
    expect(refusal(() => checkKafkaSecurity(settings({ 'sasl.password': 'p' }))).message).toContain('kafka.sasl.password = "*********(redacted)"');
  });

  it('a program\'s options alone may leave the mechanism and credentials to the configuration', () => {
    expect(() => checkKafkaSecurity(settings({ 'security.protocol': 'SASL_SSL' }), false)).not.toThrow();
    expect(() => checkKafkaSecurity(settings({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'GSSAPI' }), false)).toThrow('GSSAPI');
    // References are checked once resolved.
    expect(() => checkKafkaSecurity(settings({ 'security.protocol': '${env:PROTO}', 'sasl.jaas.config': '${env:JAAS}' }))).not.toThrow();
  });

  it('the configuration is laid under the options: a JAAS line there replaces configured credentials', () => {
    const configured = settings({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN', 'sasl.username': 'u', 'sasl.password': 'p', 'ssl.truststore.location': '/ca.pem' }, 'config');
    const merged = configured.overlay(settings({ 'sasl.mechanism': 'SCRAM-SHA-256', 'sasl.jaas.config': `${SCRAM} required username="x" password="y";` }));
    expect([...merged.entries.keys()].sort()).toEqual(['sasl.jaas.config', 'sasl.mechanism', 'security.protocol', 'ssl.truststore.location']);
    expect(merged.get('sasl.mechanism')?.value).toBe('SCRAM-SHA-256');
    expect(merged.get('security.protocol')?.origin).toBe('config');
    expect(configured.overlay(settings({}))).toBe(configured);
  });
});

describe('resolveKafkaSecurity', () => {
  const CA = '-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----';
  const KEY = '-----BEGIN PRIVATE KEY-----\nMIIEkey\n-----END PRIVATE KEY-----';
  const files: Record<string, string> = { '/ca.pem': `subject=CA\n${CA}\n`, '/client.pem': `${KEY}\n${CA}\n${CA}\n`, '/ts.jks': '\u00fe\u00ed\u00fe\u00edbinary' };
  const read = async (path: string): Promise<string> => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return text;
  };
  const env: Record<string, string> = { PW: 'scram-secret-1', PROTO: 'SASL_SSL' };
  const lookup = (name: string): string | undefined => env[name];

  it('resolves references, reads the PEM files, and hides the password from then on', async () => {
    const security = await resolveKafkaSecurity(settings({
      ...SASL_SSL, 'security.protocol': '${env:PROTO}', 'ssl.truststore.location': '/ca.pem', 'ssl.keystore.location': '/client.pem',
      'ssl.endpoint.identification.algorithm': '',
    }), lookup, read);
    expect(security).toEqual({
      protocol: 'SASL_SSL',
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'app', password: 'scram-secret-1' },
      tls: { ca: [CA], cert: `${CA}\n${CA}`, key: KEY, passphrase: null, checkHostname: false },
    });
    expect(redactText('{"msg":"login with scram-secret-1"}')).toBe(`{"msg":"login with ${REDACTED}"}`);
  });

  it('PLAINTEXT needs nothing; SSL without a truststore trusts the system CAs; SASL_PLAINTEXT has no TLS', async () => {
    expect(await resolveKafkaSecurity(settings({}), lookup, read)).toEqual({ protocol: 'PLAINTEXT', tls: null, sasl: null });
    expect(await resolveKafkaSecurity(settings({ 'security.protocol': 'ssl' }), lookup, read)).toEqual({
      protocol: 'SSL', sasl: null, tls: { ca: null, cert: null, key: null, passphrase: null, checkHostname: true },
    });
    const plain = await resolveKafkaSecurity(settings({ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'plain', 'sasl.username': 'u', 'sasl.password': 'configured-pw' }, 'config'), lookup, read);
    expect(plain).toEqual({ protocol: 'SASL_PLAINTEXT', tls: null, sasl: { mechanism: 'PLAIN', username: 'u', password: 'configured-pw' } });
  });

  it.each([
    [{ ...SASL_SSL, 'sasl.jaas.config': `${SCRAM} required username="a" password="\${env:UNSET_PW}";` }, 'invalid Kafka option: kafka.sasl.jaas.config refers to ${env:UNSET_PW}, but UNSET_PW is not set: set it where the query runs (in Kubernetes, from a Secret: env[].valueFrom.secretKeyRef)'],
    [{ 'security.protocol': 'SSL', 'ssl.truststore.location': '/nope.pem' }, 'kafka.ssl.truststore.location = "/nope.pem"; allowed: a readable file (ENOENT)'],
    [{ 'security.protocol': 'SSL', 'ssl.truststore.location': '/ts.jks' }, 'kafka.ssl.truststore.location = "/ts.jks"; allowed: PEM (Sluice\'s client reads PEM: export the CA with keytool'],
    [{ 'security.protocol': 'SSL', 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': '/ts.jks' }, 'allowed: PEM certificates (-----BEGIN CERTIFICATE-----)'],
    [{ 'security.protocol': 'SSL', 'ssl.keystore.location': '/ca.pem' }, 'kafka.ssl.keystore.location = "/ca.pem"; allowed: a PEM private key and its certificate chain'],
    [{ 'security.protocol': '${env:PROTO}', 'sasl.mechanism': 'GSSAPI' }, 'kafka.sasl.mechanism = "GSSAPI"'],
  ])('refuses at connection time what only then is known: %j', async (props, message) => {
    await expect(resolveKafkaSecurity(settings(props), lookup, read)).rejects.toThrow(message);
  });

  it('a missing variable in the configuration is a ConfigError naming the configuration key', async () => {
    const err = await resolveKafkaSecurity(settings({ 'security.protocol': 'SSL', 'ssl.truststore.location': '${env:UNSET_CA}' }, 'config'), lookup, read).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe('invalid configuration: conf ssl.truststore.location = "${env:UNSET_CA}"; allowed: a value whose ${env:…} variables are set: UNSET_CA is not; set it where the query runs (in Kubernetes, from a Secret: env[].valueFrom.secretKeyRef)');
  });
});

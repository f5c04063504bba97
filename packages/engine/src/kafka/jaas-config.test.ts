import { parseJaasConfig } from './jaas-config.js';

describe('parseJaasConfig', () => {
  it('reads one login module line: class, flag, quoted and bare options', () => {
    expect(parseJaasConfig('org.apache.kafka.common.security.scram.ScramLoginModule required username="app" password="p w;\\"x";')).toEqual({
      loginModule: 'org.apache.kafka.common.security.scram.ScramLoginModule',
      controlFlag: 'required',
      options: { username: 'app', password: 'p w;"x' },
    });
    expect(parseJaasConfig('  org.apache.kafka.common.security.plain.PlainLoginModule   REQUIRED\n username=app password=${env:PW} ;')).toEqual({
      loginModule: 'org.apache.kafka.common.security.plain.PlainLoginModule',
      controlFlag: 'required',
      options: { username: 'app', password: '${env:PW}' },
    });
  });

  it.each([
    ['', 'it must start with a login module class'],
    ['Module username="a";', 'the login module must be followed by one of required, requisite, sufficient, optional'],
    ['Module required username="a"', 'it must end with ;'],
    ['Module required username "a";', 'options must be written name="value"'],
    ['Module required username="a;', 'a quoted value is not closed'],
    ['A required; B required;', 'it must hold exactly one login module'],
  ])('%j: %s', (text, problem) => {
    expect(parseJaasConfig(text)).toBe(problem);
  });
});

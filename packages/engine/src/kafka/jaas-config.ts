/**
 * Kafka's `sasl.jaas.config`: one JAAS login module line, as Kafka's JaasConfig reads it —
 * `<LoginModuleClass> <flag> name="value" name=value …;` with values quoted or bare.
 */
export interface JaasConfig {
  readonly loginModule: string;
  readonly controlFlag: string;
  readonly options: Readonly<Record<string, string>>;
}

const CONTROL_FLAGS = ['required', 'requisite', 'sufficient', 'optional'];

type Token = { readonly kind: 'word' | 'quoted' | '=' | ';'; readonly text: string };

function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) {
      i++;
    } else if (c === '=' || c === ';') {
      tokens.push({ kind: c, text: c });
      i++;
    } else if (c === '"') {
      let value = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        // A backslash escapes the next character, as in Java's StreamTokenizer.
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i];
        i++;
      }
      if (i >= text.length) return 'a quoted value is not closed';
      i++;
      tokens.push({ kind: 'quoted', text: value });
    } else {
      const start = i;
      while (i < text.length && !/[\s=;"]/.test(text[i] ?? '')) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i) });
    }
  }
  return tokens;
}

/** The one login module of a `sasl.jaas.config` value, or what is wrong with it. */
export function parseJaasConfig(text: string): JaasConfig | string {
  const tokens = tokenize(text);
  if (typeof tokens === 'string') return tokens;
  const [module, flag, ...rest] = tokens;
  if (module?.kind !== 'word') return 'it must start with a login module class';
  if (flag?.kind !== 'word' || !CONTROL_FLAGS.includes(flag.text.toLowerCase())) {
    return `the login module must be followed by one of ${CONTROL_FLAGS.join(', ')}`;
  }
  const options: Record<string, string> = {};
  let i = 0;
  while (i < rest.length && rest[i]?.kind !== ';') {
    const name = rest[i];
    const eq = rest[i + 1];
    const value = rest[i + 2];
    if (name?.kind !== 'word' || eq?.kind !== '=' || (value?.kind !== 'word' && value?.kind !== 'quoted')) {
      return 'options must be written name="value"';
    }
    options[name.text] = value.text;
    i += 3;
  }
  if (rest[i]?.kind !== ';') return 'it must end with ;';
  if (i + 1 < rest.length) return 'it must hold exactly one login module';
  return { loginModule: module.text, controlFlag: flag.text.toLowerCase(), options };
}

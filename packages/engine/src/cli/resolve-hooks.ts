/**
 * Module resolution hooks for `sluice run`:
 * - a program's `import ... from "sluice"` resolves to this engine from any folder, as
 *   spark-submit provides pyspark;
 * - programs are ES modules (top-level `await` works) wherever they sit, even in a folder
 *   whose package.json does not say `"type": "module"`.
 */
interface ResolveContext {
  readonly parentURL?: string;
  readonly conditions: readonly string[];
  readonly importAttributes: Readonly<Record<string, string>>;
}
interface ResolveResult {
  readonly url: string;
  readonly format?: string | null;
  readonly shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<ResolveResult>;

const selfUrl = import.meta.url;

function isProgramSource(url: string): boolean {
  return url.startsWith('file:') && !url.includes('/node_modules/') && /\.(ts|tsx|js|jsx)$/.test(url) && !url.startsWith(new URL('../', selfUrl).href);
}

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<ResolveResult> {
  if (specifier === 'sluice' || specifier.startsWith('sluice/')) {
    // Resolved from inside the engine package, the name refers to the package itself.
    return nextResolve(specifier, { ...context, parentURL: selfUrl });
  }
  const result = await nextResolve(specifier, context);
  if (isProgramSource(result.url) && (result.format === 'commonjs' || result.format === undefined || result.format === null)) {
    return { ...result, format: 'module' };
  }
  return result;
}

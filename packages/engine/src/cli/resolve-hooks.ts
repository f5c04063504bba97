/**
 * Module resolution hooks for `sluice run`: a program's `import ... from "sluice"` resolves to
 * this engine from any folder, as spark-submit provides pyspark.
 */
interface ResolveContext {
  readonly parentURL?: string;
  readonly conditions: readonly string[];
  readonly importAttributes: Readonly<Record<string, string>>;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<unknown>;

const selfUrl = import.meta.url;

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<unknown> {
  if (specifier === 'sluice' || specifier.startsWith('sluice/')) {
    // Resolved from inside the engine package, the name refers to the package itself.
    return nextResolve(specifier, { ...context, parentURL: selfUrl });
  }
  return nextResolve(specifier, context);
}

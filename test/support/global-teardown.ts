/** Stops what the global setup started, and nothing else. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.sluiceTestStack?.stop();
}

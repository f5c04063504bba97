import { statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { repoRoot } from './support/programs.js';
import { freePort } from './support/processes.js';
import { ProgramRun } from './support/run-program.js';
import { waitFor } from './support/wait-for.js';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** The live query page in a real headless Chromium: its plots fill with the batches of a run. */
describe('live query page', () => {
  it('plots input rate, process rate, batch duration, state rows and watermark delay with data', async () => {
    const port = await freePort();
    const run = await ProgramRun.start('word_count.ts', [], { SLUICE_METRICS_PORT: String(port) });
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    try {
      await run.started();
      // Batch 0 ran, empty, when the socket connected; line i is batch i + 1.
      for (let i = 0; i < 4; i++) {
        run.nc.send(`spark kafka redis ${i}`);
        await waitFor(() => run.proc.stdout.includes(`Batch: ${i + 1}\n`), `batch ${i + 1}`);
      }
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForFunction(() => {
        const lines = [...document.querySelectorAll('polyline')];
        return lines.length === 5 && lines.every((l) => Number(l.getAttribute('data-points')) >= 4);
      }, undefined, { timeout: 20_000 });
      const captions = await page.$$eval('figcaption', (els) => els.map((e) => e.textContent ?? ''));
      expect(captions.map((c) => c.replace(/ [\d.-]+$/, ''))).toEqual([
        'Input rate (rows/s)', 'Process rate (rows/s)', 'Batch duration (ms)', 'State rows', 'Watermark delay (s)',
      ]);
      // The state-rows plot rises: 4 words, then one more distinct word per batch.
      const state = await page.$eval('section.query figure:nth-child(4) .value', (e) => Number(e.textContent));
      expect(state).toBe(7);
      const shot = join(repoRoot, '.local', 'live-page.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
      await run.stop();
    }
  });
});

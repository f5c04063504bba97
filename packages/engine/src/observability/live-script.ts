import { SIGNATURE_JS } from './live-query.js';

/**
 * The live page's only script, inlined (the page works offline, without a build step). Every
 * second it polls the JSON the page names in `main[data-api]`; when a query's status or progress
 * changed (the signature differs from the one the page was drawn at) it fetches the page again
 * and swaps in its `<main>`, so the charts are always the server's. Between redraws it keeps the
 * uptimes of running queries ticking.
 */

/** chart-scale.ts formatDuration, for the browser. */
export const DURATION_JS = `function formatDuration(ms) {
  if (ms < 1000) return Math.max(0, Math.round(ms)) + ' ms';
  const s = Math.floor(ms / 1000);
  if (s < 60) return s + ' s';
  const m = Math.floor(s / 60);
  if (m < 60) return m + ' min ' + (s % 60) + ' s';
  const h = Math.floor(m / 60);
  if (h < 24) return h + ' h ' + (m % 60) + ' min';
  return Math.floor(h / 24) + ' d ' + (h % 24) + ' h';
}`;

export const LIVE_SCRIPT = `(() => {
${SIGNATURE_JS}
${DURATION_JS}
const POLL_MS = 1000;
let drawnAt = performance.now();
let busy = false;
const indicator = document.getElementById('live');
function setLive(ok, text) {
  indicator.className = ok ? 'live ok' : 'live down';
  indicator.querySelector('.text').textContent = text;
}
function tick() {
  const elapsed = performance.now() - drawnAt;
  for (const el of document.querySelectorAll('[data-uptime-ms]')) {
    el.textContent = formatDuration(Number(el.dataset.uptimeMs) + elapsed);
  }
}
async function poll() {
  const main = document.querySelector('main');
  if (busy || !main) return;
  busy = true;
  try {
    const res = await fetch(main.dataset.api, { cache: 'no-store' });
    if (!res.ok && res.status !== 404) throw new Error('HTTP ' + res.status);
    const now = res.ok ? signature(await res.json()) : 'gone';
    if (now !== main.dataset.signature) {
      const page = await fetch(location.pathname, { cache: 'no-store' });
      const doc = new DOMParser().parseFromString(await page.text(), 'text/html');
      const fresh = doc.querySelector('main');
      if (fresh) {
        main.replaceWith(document.adoptNode(fresh));
        drawnAt = performance.now();
      }
    }
    setLive(true, 'live · ' + new Date().toISOString().slice(11, 19) + ' UTC');
  } catch (err) {
    setLive(false, 'disconnected: retrying');
  } finally {
    busy = false;
    tick();
  }
}
setInterval(poll, POLL_MS);
setInterval(tick, POLL_MS);
})();`;

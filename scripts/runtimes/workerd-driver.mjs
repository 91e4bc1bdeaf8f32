// Runs the bundled scenario worker in workerd through miniflare and prints its JSON result.
// Started by run.mjs with the pinned Node 22 (miniflare needs Node >= 22):
//   node22 workerd-driver.mjs <miniflare entry> <worker bundle> '<config JSON>'
const [miniflareEntry, bundle, config] = process.argv.slice(2);
const { readFile } = await import('node:fs/promises');
const { Miniflare } = await import(new URL(`file://${miniflareEntry}`).href);

const mf = new Miniflare({
  // The bundle is handed over as one module, as Wrangler does. `modules: true` would make
  // miniflare parse it to collect modules itself, which refuses any import() whose specifier is not
  // a string literal (core looks @opentelemetry/api up with one, so that bundlers leave it alone);
  // in workerd that import just fails and tracing stays off.
  modules: [{ type: 'ESModule', path: bundle, contents: await readFile(bundle, 'utf8') }],
  // No nodejs_compat flag: the packages must run on the plain Workers runtime.
  compatibilityDate: '2026-01-01',
});
try {
  const response = await mf.dispatchFetch('http://worker.test/', { method: 'POST', body: config });
  const text = await response.text();
  if (!response.ok) throw new Error(`worker answered ${response.status}: ${text}`);
  process.stdout.write(`${text}\n`);
} finally {
  await mf.dispose();
}

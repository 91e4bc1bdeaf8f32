// Runs the bundled scenario worker in workerd through miniflare and prints its JSON result.
// Started by run.mjs with the pinned Node 22 (miniflare needs Node >= 22):
//   node22 workerd-driver.mjs <miniflare entry> <worker bundle> '<config JSON>'
const [miniflareEntry, bundle, config] = process.argv.slice(2);
const { Miniflare } = await import(new URL(`file://${miniflareEntry}`).href);

const mf = new Miniflare({
  modules: true,
  scriptPath: bundle,
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

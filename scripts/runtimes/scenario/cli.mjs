// Node, Bun and Deno: `<runtime> cli.mjs '<config JSON>'` prints one JSON line with the result.
import { runFakeScenario } from './fake.mjs';
import { runScenario, runtimeInfo } from './scenario.mjs';

const args = globalThis.Deno ? globalThis.Deno.args : process.argv.slice(2);
const config = JSON.parse(args[0]);
const steps = [...(await runScenario(config)).steps, ...(await runFakeScenario(config)).steps];
console.log(JSON.stringify({ ...runtimeInfo(), ok: steps.every((s) => s.ok), steps }));

// Node, Bun and Deno: `<runtime> cli.mjs '<config JSON>'` prints one JSON line with the result.
import { runScenario, runtimeInfo } from './scenario.mjs';

const args = globalThis.Deno ? globalThis.Deno.args : process.argv.slice(2);
const result = await runScenario(JSON.parse(args[0]));
console.log(JSON.stringify({ ...runtimeInfo(), ...result }));

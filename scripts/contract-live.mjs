#!/usr/bin/env node
// `pnpm contract:live <provider> [flags]`: the provider's live conformance check against its real
// API, with the key from the env (or --api-key-file). It is the built CLI's
// `anyjob doctor <provider> [flags]`, run as is: read operations only (never a trigger), a few
// requests, a report of where the provider's answers and specs/<provider>.yaml disagree, and the
// doctor's exit code (0 conforms, 1 findings, 2 usage, 3 config or auth, 4 network or provider).
//
// Usage: pnpm build && pnpm contract:live kognitos --agent <id> [--process <id>] [--json]
//        pnpm contract:live truefoundry --application <id>
//        pnpm contract:live runchat --flow <id>
//        pnpm contract:live github --repo <owner/name> --workflow <file or id>
//        pnpm contract:live databricks [--job-id <id>]
//        pnpm contract:live <provider> --help
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './lib/providers.mjs';

const bin = join(repoRoot, 'packages', 'cli', 'dist', 'bin.js');
if (!existsSync(bin)) {
  console.error('contract:live: the anyjob CLI is not built; run `pnpm build` first.');
  process.exit(2);
}
const result = spawnSync(process.execPath, [bin, 'doctor', ...process.argv.slice(2)], { stdio: 'inherit' });
if (result.error) throw result.error;
if (result.signal) process.kill(process.pid, result.signal);
process.exit(result.status ?? 1);

#!/usr/bin/env node
// Writes one API Extractor report per public entry point of every publishable package into
// etc/api/<entry>.api.md, from the built `dist/*.d.ts`. The reports are committed, so any change
// to a package's public API (a spec change flowing through the generated types included) shows up
// in the pull request's diff, where a reviewer can see whether it breaks users.
//
// Usage: node scripts/release/api-report.mjs           # rewrite the reports (run after `pnpm build`)
//        node scripts/release/api-report.mjs --check   # rewrite, then fail if they differ from git
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';
import { entryPointId, listPublishablePackages, repoRoot } from './lib/packages.mjs';

export const reportDir = join(repoRoot, 'etc', 'api');
const check = process.argv.includes('--check');

function extract(pkg, entry, scratch) {
  const types = join(pkg.dir, entry.types);
  if (!existsSync(types)) {
    throw new Error(`${pkg.name}: ${relative(repoRoot, types)} is missing; run \`pnpm build\` first.`);
  }
  const id = entryPointId(entry);
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: pkg.dir,
      mainEntryPointFilePath: types,
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            module: 'nodenext',
            moduleResolution: 'nodenext',
            target: 'es2022',
            lib: ['es2023', 'dom'],
            types: ['node'],
            typeRoots: [join(repoRoot, 'node_modules', '@types')],
            skipLibCheck: true,
          },
        },
      },
      apiReport: { enabled: true, reportFolder: scratch, reportTempFolder: scratch, reportFileName: id },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        // The report itself is the product; doc-comment style findings are not gated here.
        extractorMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
        tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
        compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Error } },
      },
    },
    // No api-extractor.json per package: the config lives here, the path only anchors messages.
    configObjectFullPath: join(pkg.dir, 'api-extractor.json'),
    packageJsonFullPath: join(pkg.dir, 'package.json'),
  });
  const result = Extractor.invoke(config, {
    localBuild: true,
    typescriptCompilerFolder: join(repoRoot, 'node_modules', 'typescript'),
    messageCallback: (message) => {
      if (message.logLevel === ExtractorLogLevel.Error) console.error(`${pkg.name}: ${message.text}`);
      message.handled = true;
    },
  });
  if (!result.succeeded) throw new Error(`api-report: API Extractor failed for ${entry.importName}`);
  return { id, report: readFileSync(join(scratch, `${id}.api.md`), 'utf8') };
}

const started = performance.now();
const scratch = mkdtempSync(join(tmpdir(), 'anyjob-api-report-'));
const expected = new Map();
try {
  for (const pkg of listPublishablePackages()) {
    for (const entry of pkg.entryPoints) {
      const { id, report } = extract(pkg, entry, scratch);
      expected.set(`${id}.api.md`, report);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

mkdirSync(reportDir, { recursive: true });
const changed = [];
for (const [file, report] of expected) {
  const path = join(reportDir, file);
  if (!existsSync(path) || readFileSync(path, 'utf8') !== report) {
    writeFileSync(path, report);
    changed.push(file);
  }
}
// A report whose package or entry point is gone is removed, so the removal shows in the diff too.
for (const file of readdirSync(reportDir)) {
  if (file.endsWith('.api.md') && !expected.has(file)) {
    rmSync(join(reportDir, file));
    changed.push(file);
  }
}
const took = Math.round(performance.now() - started);
console.log(
  `api-report: ${expected.size} reports in ${took} ms${changed.length ? `, updated ${changed.join(', ')}` : ', unchanged'}`,
);

if (check) {
  const rel = relative(repoRoot, reportDir);
  const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all', '--', rel], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (status.trim() !== '') {
    console.error(
      `check:api: the public API differs from the committed reports in ${rel}/ — review the diff below; if the change is intended, commit the reports (and add a changeset: \`pnpm changeset\`).`,
    );
    console.error(status.trimEnd());
    execFileSync('git', ['--no-pager', 'diff', '--', rel], { cwd: repoRoot, stdio: 'inherit' });
    process.exit(1);
  }
  console.log(`check:api: ${rel}/ matches the public API of every package`);
}

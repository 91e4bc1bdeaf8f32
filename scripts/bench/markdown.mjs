// The Markdown pieces BENCHMARKS.md is written with, shared by the report and its fleet section.

/** A RSS or heap figure given in KiB, as MiB. */
export const mib = (kib) => `${(kib / 1024).toFixed(1)} MiB`;

/** A target's result cell. */
export const yes = (met) => (met === undefined ? 'not measured' : met ? '**met**' : '**not met**');

/** A Markdown table. */
export const table = (header, rows) =>
  [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

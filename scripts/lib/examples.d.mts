// Types of examples.mjs for the TypeScript test files.

export declare const examplesDir: string;
export declare const examplesOutDir: string;
/** Every `*.ts` program in examples/, by name without `.ts`. */
export function exampleNames(): string[];
/** Compiles every example to `examples/dist/<name>.mjs`; resolves to `{ name: path }`. */
export function compileExamples(): Promise<Record<string, string>>;

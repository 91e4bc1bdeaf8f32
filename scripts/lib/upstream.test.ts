// Reading published descriptions: ```yaml fences in a docs page or a plain document, and the
// merge of per-operation documents.
import { describe, expect, it } from 'vitest';
import { extractDocuments, mergeDocuments } from './upstream.mjs';

const fragment = (path: string, schema: object) => `openapi: 3.1.0
info: { title: API, version: '1' }
tags: [{ name: Jobs }]
paths:
  ${path}:
    get: { responses: { '200': { description: ok } } }
components:
  schemas:
    Error: ${JSON.stringify(schema)}
`;

describe('extractDocuments', () => {
  it('reads the OpenAPI document in a docs page, skipping fences that hold something else', () => {
    const page = `# Trigger Job\n\n\`\`\`yaml\nnot: [openapi\n\`\`\`\n\n\`\`\`\`yaml GET /a\n${fragment('/a', {})}\n\`\`\`\`\n`;
    expect(extractDocuments(page).map((d) => Object.keys(d.paths))).toEqual([['/a']]);
  });

  it('reads a plain YAML or JSON document', () => {
    expect(extractDocuments(fragment('/a', {}))[0].openapi).toBe('3.1.0');
    expect(extractDocuments('{"openapi": "3.1.0", "paths": {}}')[0].paths).toEqual({});
  });

  it('says so when there is no OpenAPI document', () => {
    expect(() => extractDocuments('# Runs\n\nRendered text only.\n', 'page.txt')).toThrow(
      /page.txt: no OpenAPI document found/,
    );
  });
});

describe('mergeDocuments', () => {
  const entry = (source: string, path: string, schema: object) => ({
    source,
    document: extractDocuments(fragment(path, schema))[0],
  });

  it('unites paths, components and tags; identical duplicates are fine', () => {
    const merged = mergeDocuments([
      entry('a.txt', '/a', { type: 'object' }),
      entry('b.txt', '/b', { type: 'object' }),
    ]);
    expect(Object.keys(merged.paths)).toEqual(['/a', '/b']);
    expect(merged.tags).toEqual([{ name: 'Jobs' }]);
  });

  it('merges two operations of one path', () => {
    const second = entry('b.txt', '/a', {});
    second.document.paths['/a'] = { post: { responses: {} } };
    const merged = mergeDocuments([entry('a.txt', '/a', {}), second]);
    expect(Object.keys(merged.paths['/a'])).toEqual(['get', 'post']);
  });

  it('fails on a conflicting duplicate, naming the part and both documents', () => {
    expect(() =>
      mergeDocuments([entry('a.txt', '/a', { type: 'object' }), entry('b.txt', '/b', { type: 'string' })]),
    ).toThrow(/conflicting duplicate components.schemas.Error: a.txt and b.txt/);
  });
});

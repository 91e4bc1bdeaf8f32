// The shared spec loader: `$ref` resolution (with its cycle guard) and the operation walk.
import { describe, expect, it } from 'vitest';
import { inlineRefs, listOperations, parseSpec, resolveRef } from './openapi.mjs';

const spec = parseSpec(`
openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /a~b/{id}:
    parameters:
      - $ref: '#/components/parameters/Id'
      - { name: verbose, in: query, schema: { type: boolean } }
    get:
      operationId: getA
      parameters:
        - { name: verbose, in: query, required: true, schema: { type: string } }
      requestBody: { $ref: '#/components/requestBodies/Body' }
      responses: { '200': { description: ok } }
    post:
      operationId: postA
      responses: { '200': { description: ok } }
  /b:
    $ref: '#/components/pathItems/B'
components:
  parameters:
    Id: { name: id, in: path, required: true, schema: { type: string } }
  requestBodies:
    Body: { $ref: '#/components/requestBodies/Inner' }
    Inner: { required: true, content: {} }
  pathItems:
    B: { delete: { operationId: deleteB, responses: {} } }
  schemas:
    A/B: { type: string }
    Loop1: { $ref: '#/components/schemas/Loop2' }
    Loop2: { $ref: '#/components/schemas/Loop1' }
    Tree:
      type: object
      properties:
        name: { $ref: '#/components/schemas/A~1B', description: the name }
        children: { type: array, items: { $ref: '#/components/schemas/Tree' } }
        kind: { $ref: '#/components/schemas/A~1B', enum: [leaf, node] }
`);

describe('resolveRef', () => {
  it('follows chained refs and unescapes JSON Pointer tokens', () => {
    expect(resolveRef(spec, { $ref: '#/components/requestBodies/Body' })).toEqual({
      required: true,
      content: {},
    });
    expect(resolveRef(spec, { $ref: '#/components/schemas/A~1B' })).toEqual({ type: 'string' });
    expect(resolveRef(spec, undefined)).toBeUndefined();
  });

  it('refuses a circular chain, a dangling ref and a non-local ref', () => {
    expect(() => resolveRef(spec, { $ref: '#/components/schemas/Loop1' })).toThrow(/circular \$ref/);
    expect(() => resolveRef(spec, { $ref: '#/components/schemas/Nope' })).toThrow(/unresolved \$ref/);
    expect(() => resolveRef(spec, { $ref: 'other.yaml#/x' })).toThrow(/only local/);
  });
});

describe('listOperations', () => {
  it('lists every operation in document order, path item refs followed', () => {
    expect(listOperations(spec).map((op) => `${op.method} ${op.path}`)).toEqual([
      'get /a~b/{id}',
      'post /a~b/{id}',
      'delete /b',
    ]);
  });

  it('merges path-level parameters, the operation overriding one with the same in and name', () => {
    const [get, post] = listOperations(spec);
    expect(get.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'verbose', in: 'query', required: true, schema: { type: 'string' } },
    ]);
    expect(post.parameters.map((p) => p.name)).toEqual(['id', 'verbose']);
  });

  it('resolves the request body', () => {
    const [get, post] = listOperations(spec);
    expect(get.requestBody).toEqual({ required: true, content: {} });
    expect(post.requestBody).toBeUndefined();
  });
});

describe('inlineRefs', () => {
  it('copies what each ref points at, a description beside a ref dropped, other siblings kept in an allOf', () => {
    const tree = inlineRefs(spec, { $ref: '#/components/schemas/Tree' }) as {
      properties: Record<string, unknown>;
    };
    expect(tree.properties.name).toEqual({ type: 'string' });
    expect(tree.properties.kind).toEqual({ enum: ['leaf', 'node'], allOf: [{ type: 'string' }] });
    // The spec itself is untouched.
    expect(spec.components.schemas.Tree.properties.name.$ref).toBe('#/components/schemas/A~1B');
  });

  it('cuts recursion where a ref reappears inside its own expansion', () => {
    const tree = inlineRefs(spec, { $ref: '#/components/schemas/Tree' }) as {
      properties: { children: { items: unknown } };
    };
    expect(tree.properties.children.items).toEqual({ $comment: 'recursive: #/components/schemas/Tree' });
    expect(inlineRefs(spec, { $ref: '#/components/schemas/Loop1' })).toEqual({
      $comment: 'recursive: #/components/schemas/Loop1',
    });
    expect(inlineRefs(spec, { $ref: '#/components/schemas/Tree' }, () => true)).toMatchObject({
      properties: { children: { items: true } },
    });
  });
});

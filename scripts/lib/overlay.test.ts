// The Overlay 1.0 applier: removal, merge, append, the actions that match nothing, and the
// updates it refuses as ambiguous.
import { describe, expect, it } from 'vitest';
import { applyOverlay } from './overlay.mjs';

const doc = {
  info: { title: 'T', description: 'old' },
  tags: [{ name: 'A' }, { name: 'B' }, { name: 'C' }],
  schemas: {
    X: { type: 'string', nullable: true },
    Y: { type: 'integer', nullable: true },
    Z: { type: 'string' },
  },
};
const overlay = (...actions: object[]) => ({ overlay: '1.0.0', info: { title: 't', version: '1' }, actions });

describe('applyOverlay', () => {
  it('merges an update into each selected object, adding keys and replacing scalars', () => {
    const { document } = applyOverlay(
      doc,
      overlay({ target: '$.schemas[?@.nullable == true]', update: { 'x-null': true, type: 'number' } }),
    );
    expect(document.schemas).toEqual({
      X: { type: 'number', nullable: true, 'x-null': true },
      Y: { type: 'number', nullable: true, 'x-null': true },
      Z: { type: 'string' },
    });
    expect(doc.schemas.X).toEqual({ type: 'string', nullable: true }); // the input is not touched
  });

  it('appends an update to each selected array', () => {
    const { document } = applyOverlay(doc, overlay({ target: '$.tags', update: { name: 'D' } }));
    expect(document.tags.map((t: { name: string }) => t.name)).toEqual(['A', 'B', 'C', 'D']);
  });

  it('removes every selected node, array elements included', () => {
    const { document } = applyOverlay(
      doc,
      overlay({ target: "$.tags[?@.name != 'B']", remove: true }, { target: '$..nullable', remove: true }),
    );
    expect(document.tags).toEqual([{ name: 'B' }]);
    expect(document.schemas.X).toEqual({ type: 'string' });
  });

  it('applies actions in order, each on the result of the ones before', () => {
    const { document, unmatched } = applyOverlay(
      doc,
      overlay(
        { target: '$.schemas.X.type', remove: true },
        { target: '$.schemas.X', update: { type: ['string', 'null'] } },
      ),
    );
    expect(unmatched).toEqual([]);
    expect(document.schemas.X.type).toEqual(['string', 'null']);
  });

  it('reports the actions whose target matches nothing, naming them by description and target', () => {
    const { unmatched } = applyOverlay(
      doc,
      overlay(
        { target: '$.info', update: { description: 'new' } },
        { target: '$.schemas.Renamed', description: 'Fix the Renamed schema.\nMore.', remove: true },
      ),
    );
    expect(unmatched.map((u) => u.label)).toEqual([
      'action 2 ("Fix the Renamed schema.", target $.schemas.Renamed)',
    ]);
  });

  it('refuses an update that would merge into an existing object or array (appliers differ there)', () => {
    expect(() => applyOverlay(doc, overlay({ target: '$.info', update: { title: { text: 'T' } } }))).toThrow(
      /already holds string; target it or remove it first/,
    );
    expect(() => applyOverlay(doc, overlay({ target: '$', update: { tags: [] } }))).toThrow(
      /already holds array/,
    );
  });

  it('refuses an update of a primitive and a malformed action', () => {
    expect(() => applyOverlay(doc, overlay({ target: '$.info.title', update: 'x' }))).toThrow(/cannot apply/);
    expect(() => applyOverlay(doc, overlay({ target: '$.info' }))).toThrow(
      /either `update` or `remove: true`/,
    );
    expect(() => applyOverlay(doc, { overlay: '2.0.0', actions: [] })).toThrow(/not an Overlay 1.0/);
    expect(() => applyOverlay(doc, overlay({ target: '$[?@.a && ]', remove: true }))).toThrow(
      /invalid JSONPath/,
    );
  });
});

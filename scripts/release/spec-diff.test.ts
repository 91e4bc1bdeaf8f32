// The spec classifier on fixture pairs: fixtures/acme.yaml as the base and a copy with one change.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { diffSpecs, requiredBumpForBreaking } from './lib/spec-diff.mjs';

// biome-ignore lint/suspicious/noExplicitAny: fixtures are edited as plain JSON
type Spec = any;
const base: Spec = parse(readFileSync(new URL('./fixtures/acme.yaml', import.meta.url), 'utf8'));

function changed(edit: (spec: Spec) => void): Spec {
  const copy = structuredClone(base);
  edit(copy);
  return copy;
}

function kinds(after: Spec) {
  const diff = diffSpecs(base, after);
  return {
    breaking: diff.breaking.map((c) => `${c.kind} @ ${c.where}`),
    nonBreaking: diff.nonBreaking.map((c) => `${c.kind} @ ${c.where}`),
  };
}

describe('breaking changes', () => {
  it('an operation removed', () => {
    const after = changed((s) => {
      delete s.paths['/jobs/{job_id}'].get;
    });
    expect(kinds(after).breaking).toEqual(['operation-removed @ GET /jobs/{job_id}']);
  });

  it('an operationId renamed (the SDK function disappears)', () => {
    const after = changed((s) => {
      s.paths['/jobs'].post.operationId = 'startJob';
    });
    expect(kinds(after).breaking).toEqual(['operation-removed @ POST /jobs']);
  });

  it('a required parameter added', () => {
    const after = changed((s) => {
      s.paths['/jobs/{job_id}'].get.parameters.push({
        name: 'region',
        in: 'query',
        required: true,
        schema: { type: 'string' },
      });
    });
    expect(kinds(after).breaking).toEqual([
      'required-parameter-added @ GET /jobs/{job_id} parameter query.region',
    ]);
  });

  it('an optional parameter made required', () => {
    const after = changed((s) => {
      s.paths['/jobs/{job_id}'].get.parameters[0].required = true;
    });
    expect(kinds(after).breaking).toEqual([
      'required-parameter-added @ GET /jobs/{job_id} parameter query.verbose',
    ]);
  });

  it('a required request field added (through a $ref)', () => {
    const after = changed((s) => {
      const request = s.components.schemas.CreateJobRequest;
      request.properties.owner = { type: 'string' };
      request.required.push('owner');
    });
    expect(kinds(after).breaking).toEqual(['required-field-added @ POST /jobs request body.owner']);
  });

  it('an optional request field made required', () => {
    const after = changed((s) => {
      s.components.schemas.CreateJobRequest.required.push('priority');
    });
    expect(kinds(after).breaking).toEqual(['required-field-added @ POST /jobs request body.priority']);
  });

  it('an enum narrowed (reported where the shared schema is used)', () => {
    const after = changed((s) => {
      s.components.schemas.Priority.enum = ['low', 'normal'];
    });
    expect(kinds(after).breaking).toEqual([
      'enum-narrowed @ POST /jobs request body.priority',
      'enum-narrowed @ POST /jobs response 201.priority',
      'enum-narrowed @ GET /jobs/{job_id} response 200.priority',
    ]);
  });

  it('a type changed', () => {
    const after = changed((s) => {
      s.components.schemas.Job.properties.id.type = 'integer';
    });
    expect(kinds(after).breaking).toEqual([
      'type-changed @ POST /jobs response 201.id',
      'type-changed @ GET /jobs/{job_id} response 200.id',
    ]);
  });

  it('a request type narrowed: null no longer accepted', () => {
    const after = changed((s) => {
      s.components.schemas.CreateJobRequest.properties.params.type = 'object';
    });
    expect(kinds(after).breaking).toEqual(['type-changed @ POST /jobs request body.params']);
  });

  it('a response field removed or made optional', () => {
    const after = changed((s) => {
      const job = s.components.schemas.Job;
      delete job.properties.priority;
      job.required = ['id', 'status'];
    });
    expect(kinds(after).breaking).toEqual([
      'type-changed @ POST /jobs response 201.name',
      'field-removed @ POST /jobs response 201.priority',
      'type-changed @ GET /jobs/{job_id} response 200.name',
      'field-removed @ GET /jobs/{job_id} response 200.priority',
    ]);
  });

  it('the success response removed', () => {
    const after = changed((s) => {
      delete s.paths['/jobs/{job_id}'].get.responses['200'];
    });
    expect(kinds(after).breaking).toEqual(['type-changed @ GET /jobs/{job_id} response 200']);
  });

  it('the whole spec deleted', () => {
    expect(diffSpecs(base, undefined).breaking.map((c) => c.kind)).toEqual(['operation-removed']);
  });
});

describe('changes that are not breaking', () => {
  it('the same document gives no changes at all', () => {
    expect(diffSpecs(base, structuredClone(base))).toEqual({ breaking: [], nonBreaking: [] });
  });

  it('additions: an operation, an optional parameter, an optional field, a response field, an enum value', () => {
    const after = changed((s) => {
      s.paths['/jobs'].get = {
        operationId: 'listJobs',
        responses: { '200': { description: 'ok' } },
      };
      s.paths['/jobs/{job_id}'].get.parameters.push({
        name: 'fields',
        in: 'query',
        schema: { type: 'string' },
      });
      s.components.schemas.CreateJobRequest.properties.note = { type: 'string' };
      s.components.schemas.Job.properties.started_at = { type: 'string' };
      s.components.schemas.Job.required.push('started_at');
      s.components.schemas.Priority.enum.push('urgent');
    });
    const result = kinds(after);
    expect(result.breaking).toEqual([]);
    expect(result.nonBreaking).toEqual(
      expect.arrayContaining([
        'operation-added @ GET /jobs',
        'optional-parameter-added @ GET /jobs/{job_id} parameter query.fields',
        'field-added @ POST /jobs request body.note',
        'field-added @ GET /jobs/{job_id} response 200.started_at',
        'enum-widened @ POST /jobs request body.priority',
      ]),
    );
  });

  it('a request type widened to accept null', () => {
    const after = changed((s) => {
      s.components.schemas.CreateJobRequest.properties.name.type = ['string', 'null'];
    });
    expect(kinds(after)).toEqual({
      breaking: [],
      nonBreaking: ['type-widened @ POST /jobs request body.name'],
    });
  });

  it('a new spec', () => {
    expect(diffSpecs(undefined, base)).toEqual({
      breaking: [],
      nonBreaking: [expect.objectContaining({ kind: 'spec-added' })],
    });
  });
});

describe('requiredBumpForBreaking', () => {
  it('asks for minor below 1.0 and major from 1.0', () => {
    expect(requiredBumpForBreaking('0.1.0')).toBe('minor');
    expect(requiredBumpForBreaking('0.9.3')).toBe('minor');
    expect(requiredBumpForBreaking('1.0.0')).toBe('major');
    expect(requiredBumpForBreaking('2.4.1')).toBe('major');
  });
});

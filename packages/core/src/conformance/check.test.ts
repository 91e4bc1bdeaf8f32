// The conformance checker on hand-made schemas in the shape conformance.gen.ts holds.
import { describe, expect, it } from 'vitest';
import { type ConformanceOperation, type ConformanceSchema, checkAnswer, checkValue } from './check.js';

const RUN: ConformanceSchema = {
  type: 'object',
  required: ['id', 'status', 'name'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    status: { allOf: [{ type: 'string', enum: ['CREATED', 'RUNNING', 'FINISHED'] }] },
    error: { type: ['string', 'null'] },
    retries: { type: 'integer' },
    subject: {
      oneOf: [
        { type: 'object', required: ['subjectId'], properties: { subjectId: { type: 'string' } } },
        { type: 'null' },
      ],
    },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    free: { type: 'object', additionalProperties: true },
  },
};
const LIST: ConformanceSchema = {
  type: 'object',
  required: ['data'],
  properties: { data: { type: 'array', items: RUN } },
};
const good = { id: 'r1', name: 'train', status: 'RUNNING', error: null, retries: 0 };

describe('checkValue', () => {
  it('finds nothing in a body that fits', () => {
    expect(checkValue(good, RUN)).toEqual([]);
    expect(
      checkValue({ data: [good, { ...good, subject: { subjectId: 's' }, labels: { a: 'b' } }] }, LIST),
    ).toEqual([]);
  });

  it('names a field the schema does not list, with its type only', () => {
    expect(checkValue({ ...good, archivedBy: 'someone@acme.com' }, RUN)).toEqual([
      { path: '$.archivedBy', kind: 'extra', expected: 'not in the spec', got: 'a string' },
    ]);
  });

  it('reports extras also where the schema allows more fields, never in a free-form map', () => {
    const open: ConformanceSchema = {
      type: 'object',
      properties: { id: { type: 'string' } },
      additionalProperties: true,
    };
    expect(checkValue({ id: 'x', owner: 3 }, open)).toEqual([
      { path: '$.owner', kind: 'extra', expected: 'not in the spec', got: 'an integer' },
    ]);
    expect(checkValue({ ...good, free: { anything: 1 } }, RUN)).toEqual([]);
  });

  it('checks the values of a map against additionalProperties', () => {
    expect(checkValue({ ...good, labels: { team: 7 } }, RUN)).toEqual([
      { path: '$.labels.team', kind: 'type', expected: 'string', got: 'an integer' },
    ]);
  });

  it('a null where the spec says string is a type finding', () => {
    expect(checkValue({ ...good, name: null }, RUN)).toEqual([
      { path: '$.name', kind: 'type', expected: 'string', got: 'null' },
    ]);
  });

  it('integer is a whole number', () => {
    expect(checkValue({ ...good, retries: 1.5 }, RUN)).toEqual([
      { path: '$.retries', kind: 'type', expected: 'integer', got: 'a number' },
    ]);
  });

  it('a required field that is absent is missing, with what the spec expects', () => {
    const { status: _status, ...rest } = good;
    expect(checkValue(rest, RUN)).toEqual([
      { path: '$.status', kind: 'missing', expected: 'one of CREATED, RUNNING, FINISHED', got: 'absent' },
    ]);
  });

  it('an unknown enum word is named when it is a plain word', () => {
    expect(checkValue({ ...good, status: 'PAUSED' }, RUN)).toEqual([
      { path: '$.status', kind: 'enum', expected: 'one of CREATED, RUNNING, FINISHED', got: '"PAUSED"' },
    ]);
  });

  it('never quotes a string that is not a plain word', () => {
    const secretish = 'sk-live-4f8e2a9c1b7d';
    const findings = checkValue({ ...good, status: secretish }, RUN);
    expect(findings).toEqual([
      {
        path: '$.status',
        kind: 'enum',
        expected: 'one of CREATED, RUNNING, FINISHED',
        got: 'a string (not shown)',
      },
    ]);
    expect(
      JSON.stringify(checkValue({ data: [{ ...good, id: null, note: secretish }] }, LIST)),
    ).not.toContain(secretish);
  });

  it('an open string reports words outside its known values', () => {
    const schema: ConformanceSchema = {
      type: 'object',
      properties: { status: { type: 'string', knownValues: ['Created', 'Running', 'Succeeded'] } },
    };
    expect(checkValue({ status: 'Succeeded' }, schema)).toEqual([]);
    expect(checkValue({ status: 'Paused' }, schema)).toEqual([
      {
        path: '$.status',
        kind: 'enum',
        expected: 'a known value (open string): Created, Running, Succeeded',
        got: '"Paused"',
      },
    ]);
  });

  it('reports an array item once per path, whatever the number of items', () => {
    const body = { data: [good, { ...good, extra: 1 }, { ...good, extra: 2 }] };
    expect(checkValue(body, LIST)).toEqual([
      { path: '$.data[].extra', kind: 'extra', expected: 'not in the spec', got: 'an integer' },
    ]);
  });

  it('a oneOf branch the value fits best speaks; no branch at all is one type finding', () => {
    expect(checkValue({ ...good, subject: { subjectId: 's', team: 'x' } }, RUN)).toEqual([
      { path: '$.subject.team', kind: 'extra', expected: 'not in the spec', got: 'a string' },
    ]);
    expect(checkValue({ ...good, subject: 'alice' }, RUN)).toEqual([
      { path: '$.subject', kind: 'type', expected: 'object or null', got: 'a string' },
    ]);
  });

  it('allOf members together list the fields (no extra for a field another member lists)', () => {
    const schema: ConformanceSchema = {
      allOf: [
        { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
        { properties: { b: { type: 'integer' } }, required: ['b'] },
      ],
    };
    expect(checkValue({ a: 'x', b: 1 }, schema)).toEqual([]);
    expect(checkValue({ a: 'x', c: true }, schema)).toEqual([
      { path: '$.b', kind: 'missing', expected: 'integer', got: 'absent' },
      { path: '$.c', kind: 'extra', expected: 'not in the spec', got: 'a boolean' },
    ]);
  });

  it('quotes odd keys and shortens long ones', () => {
    expect(checkValue({ ...good, 'a b': 1, ['k'.repeat(80)]: 2 }, RUN).map((f) => f.path)).toEqual([
      '$["a b"]',
      '$[<a key of 80 characters>]',
    ]);
  });
});

const GET_RUN: ConformanceOperation = {
  method: 'GET',
  url: '/runs/{id}',
  responses: {
    '200': RUN,
    '404': { type: 'object', required: ['message'], properties: { message: { type: 'string' } } },
  },
};

describe('checkAnswer', () => {
  const json = 'application/json; charset=utf-8';

  it('an undocumented status is a status finding; its body is not checked', () => {
    expect(checkAnswer('getRun', GET_RUN, { status: 401, contentType: json, body: { nope: 1 } })).toEqual([
      {
        operation: 'getRun',
        status: 401,
        path: '$',
        kind: 'status',
        expected: 'one of 200, 404',
        got: '401',
      },
    ]);
  });

  it('a documented error answer is checked against its schema', () => {
    expect(
      checkAnswer('getRun', GET_RUN, { status: 404, contentType: json, body: { message: 'gone' } }),
    ).toEqual([]);
    expect(
      checkAnswer('getRun', GET_RUN, { status: 404, contentType: json, body: { error: 'gone' } }),
    ).toEqual([
      {
        operation: 'getRun',
        status: 404,
        path: '$.message',
        kind: 'missing',
        expected: 'string',
        got: 'absent',
      },
      {
        operation: 'getRun',
        status: 404,
        path: '$.error',
        kind: 'extra',
        expected: 'not in the spec',
        got: 'a string',
      },
    ]);
  });

  it('ranges and default cover statuses', () => {
    const op: ConformanceOperation = {
      method: 'GET',
      url: '/',
      responses: { '200': null, '4XX': true, default: null },
    };
    expect(checkAnswer('x', op, { status: 418, contentType: json, body: 'teapot' })).toEqual([]);
    expect(checkAnswer('x', op, { status: 503, contentType: null, body: '' })).toEqual([]);
    expect(
      checkAnswer('x', { ...op, responses: { '200': null } }, { status: 418, contentType: null, body: '' }),
    ).toEqual([
      { operation: 'x', status: 418, path: '$', kind: 'status', expected: 'one of 200', got: '418' },
    ]);
  });

  it('a body that is not JSON is a type finding that names its content type, not its text', () => {
    expect(
      checkAnswer('getRun', GET_RUN, { status: 200, contentType: 'text/html', body: '<html>secret</html>' }),
    ).toEqual([
      {
        operation: 'getRun',
        status: 200,
        path: '$',
        kind: 'type',
        expected: 'a JSON body',
        got: 'a text/html body',
      },
    ]);
    expect(
      checkAnswer('getRun', GET_RUN, { status: 200, contentType: json, body: undefined, invalidJson: true }),
    ).toEqual([
      {
        operation: 'getRun',
        status: 200,
        path: '$',
        kind: 'type',
        expected: 'a JSON body',
        got: 'a body that is not valid JSON',
      },
    ]);
  });
});

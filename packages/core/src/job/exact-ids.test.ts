import { isInteger, isSafeNumber, parse as losslessParse } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../errors/index.js';
import { createProviderClient } from '../transport/provider-client.js';
import { idText, jsonInteger, parseJsonExact, readExactInteger, stringifyJson } from './exact-ids.js';
import { createProviderApi } from './operation.js';

// 2^53 + 1: the first integer a JS number cannot hold (it rounds to 9007199254740992).
const BIG = '9007199254740993';

describe('exact integer ids', () => {
  const answer = `{"run_id":${BIG},"number_in_job":${BIG},"job_id":42,"ratio":0.5,"name":"x"}`;

  it('reads an int64 beyond 2^53 from the answer text exactly, where JSON.parse rounds it', () => {
    expect(String((JSON.parse(answer) as { run_id: number }).run_id)).toBe('9007199254740992');
    expect(readExactInteger(answer, 'run_id')).toBe(BIG);
    expect(readExactInteger(`{"run":{"id":-${BIG}}}`, 'run.id')).toBe(`-${BIG}`);
    expect(readExactInteger(answer, 'job_id')).toBe('42');
    expect(readExactInteger(answer, 'missing')).toBeUndefined();
  });

  it('parses the rest as JSON.parse does: safe numbers stay numbers, fractions too', () => {
    expect(parseJsonExact(answer)).toEqual({
      run_id: BIG,
      number_in_job: BIG,
      job_id: 42,
      ratio: 0.5,
      name: 'x',
    });
    expect(parseJsonExact('[1e2, -0.25, null, true]')).toEqual([100, -0.25, null, true]);
  });

  it("survives a ref's JSON round trip as a string, and is written back into a body as a bare integer", () => {
    const id = readExactInteger(answer, 'run_id') as string;
    const ref = JSON.parse(JSON.stringify({ provider: 'acme', runId: id })) as { runId: string };
    expect(ref.runId).toBe(BIG);
    const body = stringifyJson({ run_id: jsonInteger(ref.runId, 'ref.runId', 'cancelJob'), all: true });
    expect(body).toBe(`{"run_id":${BIG},"all":true}`);
    expect(readExactInteger(body, 'run_id')).toBe(BIG);
    // In a query the digits are the integer already.
    expect(new URLSearchParams({ run_id: ref.runId }).toString()).toBe(`run_id=${BIG}`);
  });

  it('refuses an id that is not an integer before any request, naming the field', () => {
    expect.assertions(3);
    try {
      jsonInteger('12a', 'ref.runId', 'cancelJob');
    } catch (error) {
      expect(InvalidRequestError.isInstance(error)).toBe(true);
      expect((error as InvalidRequestError).issues?.[0]?.path).toBe('ref.runId');
      expect((error as Error).message).toContain('`ref.runId` must be an integer id');
    }
  });

  it('keeps ids of any JSON scalar type as text, refusing a number whose digits are already lost', () => {
    expect(idText('abc')).toBe('abc');
    expect(idText(42)).toBe('42');
    expect(idText(BigInt(BIG))).toBe(BIG);
    expect(idText(2 ** 53 + 2)).toBeUndefined();
    expect(idText(1.5)).toBeUndefined();
    expect(idText(null)).toBeUndefined();
  });
});

describe('parseJsonExact without a JSON parser of its own', () => {
  // lossless-json's parser, with the same rule, is the oracle: JSON.parse after quoting must agree.
  const oracle = (text: string) =>
    losslessParse(text, null, (digits: string) =>
      isInteger(digits) && !isSafeNumber(digits) ? digits : Number(digits),
    );

  it('agrees with lossless-json on integers, fractions, exponents and numbers written inside strings', () => {
    const texts = [
      `{"a":${BIG},"b":-${BIG},"c":[${BIG},1,${BIG}],"d":{"e":${BIG}}}`,
      `[${BIG}]`,
      BIG,
      ` ${BIG} `,
      `{"s":"${BIG}","t":"say \\"${BIG}\\" then 12345678901234567890","u":${BIG}}`,
      `{"esc":"\\\\","n":${BIG}}`,
      `{"k${BIG}":1,"v":12345678901234567890}`,
      '[9007199254740992,9007199254740991,-9007199254740991,10000000000000000000,1e400,1.5e3,-0,0.1]',
      `{"x" : ${BIG} , "y":\t${BIG}\n}`,
      '{"unicode":"\\u0022 1234567890123456789012","z":null,"t":true,"f":false}',
    ];
    for (const text of texts) expect(parseJsonExact(text), text).toEqual(oracle(text));
  });

  it('refuses what JSON.parse refuses, a number quoting would turn into a key or a string included', () => {
    for (const text of [
      `{${BIG}:1}`,
      `{${BIG} :1}`,
      `{"a":0${BIG}}`,
      `{"a":${BIG}x}`,
      `{"a":"${BIG}}`,
      `[${BIG} ${BIG}]`,
      '',
    ]) {
      expect(() => parseJsonExact(text), text).toThrow(SyntaxError);
    }
  });
});

describe('exactIntegers through the operation pipeline', () => {
  const operations = { getRun: { method: 'GET', url: '/runs/get', sideEffect: 'read' as const, errors: {} } };
  const fetch = (async () =>
    new Response(`{"run_id":${BIG},"job_id":7,"state":"RUNNING"}`, {
      headers: { 'content-type': 'application/json' },
    })) as typeof globalThis.fetch;
  const api = createProviderApi({
    provider: 'acme',
    client: createProviderClient({
      provider: 'acme',
      displayName: 'Acme',
      baseUrl: 'http://api.test',
      apiKey: () => 'acme-key-0123456789',
      operations,
      settings: { fetch },
    }),
    operations,
    validateRequests: false,
    fieldNames: [],
  });
  const get = (exactIntegers: boolean) =>
    api.call<{ run_id: unknown; job_id: unknown }>({
      operation: 'getRun',
      parts: { query: { run_id: BIG } },
      exactIntegers,
      send: (sdk, parts) => sdk.client.get({ url: '/runs/get', query: parts.query, ...sdk }),
    });

  it('reads an int64 beyond 2^53 as its digits, where the default JSON parse rounds it', async () => {
    const exact = await get(true);
    expect(exact.data).toEqual({ run_id: BIG, job_id: 7, state: 'RUNNING' });
    const rounded = await get(false);
    expect(String(rounded.data.run_id)).toBe('9007199254740992');
  });
});

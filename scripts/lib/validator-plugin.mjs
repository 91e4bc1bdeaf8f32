// The valibot plugin configuration of scripts/generate.mjs (hey-api's validator plugin; valibot won
// over zod/mini on bundle size and speed, see scripts/bench/validators.mjs).
//
// One fix rides on it. For an integer of format int64/uint64, hey-api 0.95 writes
//   v.pipe(v.union([v.number(), v.string(), v.bigint()]), v.transform(x => BigInt(x)), …)
// and `BigInt('abc')` or `BigInt(1.5)` *throws* (SyntaxError / RangeError) inside validation, so a bad
// value escaped as a raw JS error instead of an InvalidRequestError naming the field. The `number`
// resolver below (hey-api's documented hook for rendering number schemas) writes the same three
// accepted forms as checks that report an issue, and no transform: @anyjob/core validates, it never
// uses the validator's output, and a BigInt in a JSON body would not serialize anyway.
//   integer number | string of decimal digits (how an id beyond 2^53 travels exactly) | bigint
// The bounds (the spec's minimum/maximum, else the int64 range) stay hey-api's: JavaScript compares
// a number, a digit string and a bigint with a BigInt bound exactly.

/** @typedef {import('@hey-api/openapi-ts').Plugins.Valibot.Types} ValibotPlugin */
/** @typedef {NonNullable<import('@hey-api/openapi-ts').Plugins.Valibot.Resolvers['number']>} NumberResolver */

/** A whole number written in decimal, optionally negative: what an int64 in a string may hold. */
export const INT64_STRING_PATTERN = '^-?\\d+$';

/**
 * hey-api valibot `~resolvers.number`: int64/uint64 schemas without the throwing BigInt transform;
 * every other number schema (and an int64 `const`) is left to hey-api (returns undefined).
 * @param {Parameters<NumberResolver>[0]} ctx
 * @returns {ReturnType<NumberResolver>}
 */
export function int64WithoutBigIntTransform(ctx) {
  const { $, schema } = ctx;
  if (!ctx.utils.shouldCoerceToBigInt(schema.format) || schema.const !== undefined) return undefined;
  /** @param {string} name */
  const v = (name) => $(ctx.symbols.v).attr(name);
  const forms = $.array(
    v('pipe').call(v('number').call(), v('integer').call()),
    v('pipe').call(v('string').call(), v('regex').call($.regexp(INT64_STRING_PATTERN))),
    v('bigint').call(),
  );
  ctx.pipes.push(ctx.pipes.current, v('union').call(forms));
  for (const bound of [ctx.nodes.min(ctx), ctx.nodes.max(ctx)]) {
    if (bound) ctx.pipes.push(ctx.pipes.current, bound);
  }
  return ctx.pipes.current;
}

// Component schemas get a `Schema` suffix so they never collide with the per-operation schemas
// (`v<Op>Body|Path|Query|Response`); otherwise hey-api renames one of them with a numeric suffix.
/** @type {ValibotPlugin['Types']['config']} */
export const validatorPlugin = {
  name: 'valibot',
  definitions: { name: 'v{{name}}Schema' },
  '~resolvers': { number: int64WithoutBigIntTransform },
};

// Classifies the change between two versions of an OpenAPI 3.1 document as breaking or not, from
// the point of view of a user of the generated client: does code that compiled and worked against
// the old SDK still compile and work against the new one?
//
// Written here rather than taken from npm: `openapi-diff` (and its peers on the registry) only read
// Swagger 2 / OpenAPI 3.0, and the 3.1 tools that exist are native binaries fetched at install
// time, which this project cannot install. The rules below cover what the specs here use.
//
// Direction matters. A schema is either sent by the client (request: parameters and bodies) or
// read by it (response). Sending: a new required field, a removed field, a narrowed enum or type
// breaks callers. Reading: a removed field, a field made optional, a widened type breaks code that
// relied on it; a new field does not.

import { listOperations, resolveRef as resolve } from '../../lib/openapi.mjs';

/**
 * @typedef {{ kind: string, where: string, message: string }} SpecChange
 * @typedef {{ breaking: SpecChange[], nonBreaking: SpecChange[] }} SpecDiff
 */

/**
 * @param {object | undefined} before the document at the base ref (undefined: the spec is new)
 * @param {object | undefined} after the document now (undefined: the spec was deleted)
 * @returns {SpecDiff}
 */
export function diffSpecs(before, after) {
  /** @type {SpecDiff} */
  const result = { breaking: [], nonBreaking: [] };
  const report = (breaking, kind, where, message) =>
    (breaking ? result.breaking : result.nonBreaking).push({ kind, where, message });

  if (!before && !after) return result;
  if (!before) {
    report(false, 'spec-added', 'spec', 'new spec: every operation is new');
    return result;
  }
  if (!after) {
    report(true, 'operation-removed', 'spec', 'the spec was deleted: every operation is gone');
    return result;
  }

  const oldOps = operations(before);
  const newOps = operations(after);
  for (const [key, oldOp] of oldOps) {
    const newOp = newOps.get(key);
    if (!newOp) {
      report(true, 'operation-removed', key, `operation ${oldOp.operation.operationId ?? key} was removed`);
      continue;
    }
    const ctx = { before, after, report, seen: new Set() };
    compareOperation(ctx, key, oldOp, newOp);
  }
  for (const [key, newOp] of newOps) {
    if (!oldOps.has(key)) {
      report(false, 'operation-added', key, `operation ${newOp.operation.operationId ?? key} was added`);
    }
  }
  return result;
}

/** Map of "METHOD /path" to the operation, its parameters (path-level ones merged in) and request body. */
function operations(doc) {
  const ops = new Map();
  for (const { method, path, operation, parameters, requestBody } of listOperations(doc)) {
    ops.set(`${method.toUpperCase()} ${path}`, { operation, parameters, requestBody });
  }
  return ops;
}

function compareOperation(ctx, key, oldOp, newOp) {
  const { report } = ctx;
  const oldId = oldOp.operation.operationId;
  const newId = newOp.operation.operationId;
  if (oldId && newId && oldId !== newId) {
    report(
      true,
      'operation-removed',
      key,
      `operationId ${oldId} became ${newId}: the SDK function ${oldId} is gone`,
    );
  }

  const oldParams = parameters(oldOp);
  const newParams = parameters(newOp);
  for (const [id, newParam] of newParams) {
    const oldParam = oldParams.get(id);
    const where = `${key} parameter ${id}`;
    if (!oldParam) {
      if (newParam.required) report(true, 'required-parameter-added', where, 'new required parameter');
      else report(false, 'optional-parameter-added', where, 'new optional parameter');
      continue;
    }
    if (newParam.required && !oldParam.required) {
      report(true, 'required-parameter-added', where, 'the parameter became required');
    }
    compareSchemas(ctx, 'request', where, oldParam.schema, newParam.schema);
  }
  for (const id of oldParams.keys()) {
    if (!newParams.has(id))
      report(true, 'parameter-removed', `${key} parameter ${id}`, 'the parameter was removed');
  }

  const oldBody = oldOp.requestBody;
  const newBody = newOp.requestBody;
  const bodyWhere = `${key} request body`;
  if (newBody && !oldBody) {
    if (newBody.required)
      report(true, 'required-parameter-added', bodyWhere, 'a required request body was added');
    else report(false, 'optional-parameter-added', bodyWhere, 'an optional request body was added');
  } else if (oldBody && !newBody) {
    report(true, 'parameter-removed', bodyWhere, 'the request body was removed');
  } else if (oldBody && newBody) {
    if (newBody.required && !oldBody.required) {
      report(true, 'required-parameter-added', bodyWhere, 'the request body became required');
    }
    compareContent(ctx, 'request', bodyWhere, oldBody.content, newBody.content);
  }

  const oldResponses = oldOp.operation.responses ?? {};
  const newResponses = newOp.operation.responses ?? {};
  for (const [status, oldResponse] of Object.entries(oldResponses)) {
    const where = `${key} response ${status}`;
    const newResponse = newResponses[status];
    if (!newResponse) {
      // Only a success response is part of the SDK's result type that callers read.
      if (/^2/.test(status)) report(true, 'type-changed', where, 'the success response was removed');
      else report(false, 'response-removed', where, 'the error response was removed');
      continue;
    }
    compareContent(
      ctx,
      'response',
      where,
      resolve(ctx.before, oldResponse).content,
      resolve(ctx.after, newResponse).content,
    );
  }
  for (const status of Object.keys(newResponses)) {
    if (!(status in oldResponses)) {
      report(false, 'response-added', `${key} response ${status}`, 'a response was documented');
    }
  }
}

function parameters(op) {
  return new Map(op.parameters.map((param) => [`${param.in}.${param.name}`, param]));
}

function compareContent(ctx, direction, where, oldContent = {}, newContent = {}) {
  for (const [mediaType, oldMedia] of Object.entries(oldContent)) {
    const newMedia = newContent[mediaType];
    if (!newMedia) {
      report(ctx, true, 'type-changed', `${where} ${mediaType}`, 'the media type was removed');
      continue;
    }
    compareSchemas(ctx, direction, where, oldMedia.schema, newMedia.schema);
  }
}

function report(ctx, breaking, kind, where, message) {
  ctx.report(breaking, kind, where, message);
}

/** `type: x`, `type: [x, 'null']` and `const`/`enum`-only schemas as one set of JSON types. */
function typeSet(schema) {
  if (schema.type === undefined) return undefined;
  return new Set(Array.isArray(schema.type) ? schema.type : [schema.type]);
}

function flattenAllOf(doc, schema) {
  if (!Array.isArray(schema.allOf)) return schema;
  const merged = { ...schema, properties: { ...schema.properties }, required: [...(schema.required ?? [])] };
  delete merged.allOf;
  for (const part of schema.allOf) {
    const flat = flattenAllOf(doc, resolve(doc, part));
    Object.assign(merged.properties, flat.properties);
    merged.required.push(...(flat.required ?? []));
    if (merged.type === undefined && flat.type !== undefined) merged.type = flat.type;
    if (merged.enum === undefined && flat.enum !== undefined) merged.enum = flat.enum;
  }
  return merged;
}

function compareSchemas(ctx, direction, where, oldRaw, newRaw) {
  if (!oldRaw || !newRaw) {
    if (oldRaw && !newRaw && direction === 'response') {
      report(ctx, true, 'type-changed', where, 'the schema was removed');
    }
    return;
  }
  // A pair of $refs already compared on this path (recursive schemas) is not walked again.
  const pairKey = `${direction}|${oldRaw.$ref ?? ''}|${newRaw.$ref ?? ''}`;
  if (oldRaw.$ref && newRaw.$ref) {
    if (ctx.seen.has(pairKey)) return;
    ctx.seen.add(pairKey);
  }
  const sending = direction === 'request';
  const oldSchema = flattenAllOf(ctx.before, resolve(ctx.before, oldRaw));
  const newSchema = flattenAllOf(ctx.after, resolve(ctx.after, newRaw));

  const oldTypes = typeSet(oldSchema);
  const newTypes = typeSet(newSchema);
  if (oldTypes && newTypes) {
    const removed = [...oldTypes].filter((t) => !newTypes.has(t));
    const added = [...newTypes].filter((t) => !oldTypes.has(t));
    if (removed.length > 0 || added.length > 0) {
      const text = `type ${[...oldTypes].join(' | ')} became ${[...newTypes].join(' | ')}`;
      // Sending: accepting more (only additions) is safe. Reading: getting less is safe.
      const safe = sending ? removed.length === 0 : added.length === 0;
      report(ctx, !safe, safe ? 'type-widened' : 'type-changed', where, text);
    }
  } else if (!oldTypes !== !newTypes) {
    report(ctx, true, 'type-changed', where, 'the schema type was added or removed');
  }

  if (Array.isArray(oldSchema.enum) && Array.isArray(newSchema.enum)) {
    const removed = oldSchema.enum.filter((v) => !newSchema.enum.includes(v));
    const added = newSchema.enum.filter((v) => !oldSchema.enum.includes(v));
    if (removed.length > 0) {
      report(
        ctx,
        true,
        'enum-narrowed',
        where,
        `enum lost ${removed.map((v) => JSON.stringify(v)).join(', ')}`,
      );
    }
    if (added.length > 0) {
      report(
        ctx,
        false,
        'enum-widened',
        where,
        `enum gained ${added.map((v) => JSON.stringify(v)).join(', ')}`,
      );
    }
  } else if (!Array.isArray(oldSchema.enum) && Array.isArray(newSchema.enum)) {
    report(ctx, true, 'enum-narrowed', where, `values restricted to ${JSON.stringify(newSchema.enum)}`);
  }

  const oldProps = oldSchema.properties ?? {};
  const newProps = newSchema.properties ?? {};
  const oldRequired = new Set(oldSchema.required ?? []);
  const newRequired = new Set(newSchema.required ?? []);
  for (const [name, newProp] of Object.entries(newProps)) {
    const fieldWhere = `${where}.${name}`;
    if (!(name in oldProps)) {
      if (sending && newRequired.has(name)) {
        report(ctx, true, 'required-field-added', fieldWhere, 'new required field in a request');
      } else {
        report(
          ctx,
          false,
          'field-added',
          fieldWhere,
          `new ${newRequired.has(name) ? 'required' : 'optional'} field`,
        );
      }
      continue;
    }
    if (sending && newRequired.has(name) && !oldRequired.has(name)) {
      report(ctx, true, 'required-field-added', fieldWhere, 'the request field became required');
    }
    if (!sending && oldRequired.has(name) && !newRequired.has(name)) {
      report(ctx, true, 'type-changed', fieldWhere, 'the response field became optional');
    }
    compareSchemas(ctx, direction, fieldWhere, oldProps[name], newProp);
  }
  for (const name of Object.keys(oldProps)) {
    if (!(name in newProps)) report(ctx, true, 'field-removed', `${where}.${name}`, 'the field was removed');
  }

  if (oldSchema.items && newSchema.items)
    compareSchemas(ctx, direction, `${where}[]`, oldSchema.items, newSchema.items);
  if (isSchema(oldSchema.additionalProperties) && isSchema(newSchema.additionalProperties)) {
    compareSchemas(
      ctx,
      direction,
      `${where}{}`,
      oldSchema.additionalProperties,
      newSchema.additionalProperties,
    );
  }
  for (const keyword of ['oneOf', 'anyOf']) {
    const oldVariants = oldSchema[keyword];
    const newVariants = newSchema[keyword];
    if (!Array.isArray(oldVariants) || !Array.isArray(newVariants)) continue;
    if (newVariants.length < oldVariants.length && sending) {
      report(
        ctx,
        true,
        'type-changed',
        where,
        `${keyword} lost ${oldVariants.length - newVariants.length} variant(s)`,
      );
    } else if (newVariants.length > oldVariants.length && !sending) {
      report(
        ctx,
        true,
        'type-changed',
        where,
        `${keyword} gained ${newVariants.length - oldVariants.length} variant(s)`,
      );
    }
    const shared = Math.min(oldVariants.length, newVariants.length);
    for (let i = 0; i < shared; i++) {
      compareSchemas(ctx, direction, `${where}<${keyword}[${i}]>`, oldVariants[i], newVariants[i]);
    }
  }
}

function isSchema(value) {
  return value !== null && typeof value === 'object';
}

/** The bump a breaking change needs: `major`, or `minor` while the package is below 1.0. */
export function requiredBumpForBreaking(version) {
  return Number(String(version).split('.')[0]) >= 1 ? 'major' : 'minor';
}

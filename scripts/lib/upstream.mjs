// Reads a provider's published OpenAPI description as the provider publishes it: a plain YAML or
// JSON document, or a documentation page with the document embedded in ```yaml fences (how
// Runchat's and TrueFoundry's docs pages carry it), possibly one document per operation (Runchat),
// which are merged into one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseSpec } from './openapi.mjs';

// A fence opens with 3+ backticks or tildes and an info string naming the language; it closes with
// the same character, at least as many times (CommonMark). Runchat's pages use ````yaml.
const FENCE = /^( {0,3})(`{3,}|~{3,})[ \t]*(yaml|yml|json)\b[^\n]*\n([\s\S]*?)\n {0,3}\2[`~]*[ \t]*$/gim;

/** @typedef {import('./openapi.mjs').OpenApiDocument} OpenApiDocument */

const isOpenApi = (value) => value !== null && typeof value === 'object' && typeof value.openapi === 'string';

/**
 * The OpenAPI documents in one published text: every fenced yaml/json block that parses to an
 * OpenAPI document, or the whole text when it has no such block.
 * @param {string} text
 * @param {string} [source]
 * @returns {OpenApiDocument[]}
 */
export function extractDocuments(text, source = 'document') {
  const fenced = [...text.matchAll(FENCE)].map((match) => match[4]);
  const candidates = fenced.length > 0 ? fenced : [text];
  const documents = [];
  for (const candidate of candidates) {
    let parsed;
    try {
      parsed = parseSpec(candidate);
    } catch (error) {
      if (fenced.length === 0) throw new Error(`${source}: not YAML or JSON: ${error.message}`);
      continue; // another language's sample in a ```yaml fence is not the description
    }
    if (isOpenApi(parsed)) documents.push(parsed);
  }
  if (documents.length === 0) {
    throw new Error(`${source}: no OpenAPI document found (a YAML/JSON document or a \`\`\`yaml fence)`);
  }
  return documents;
}

/** The files named (a directory stands for the files in it, in name order). */
function expandPaths(paths) {
  return paths.flatMap((path) =>
    statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((name) => !name.startsWith('.'))
          .sort()
          .map((name) => join(path, name))
          .filter((file) => statSync(file).isFile())
      : [path],
  );
}

/**
 * Every OpenAPI document in the given files or directories, each with the file it came from.
 * @param {string[]} paths
 * @returns {Array<{ source: string, document: OpenApiDocument }>}
 */
export function readPublishedDocuments(paths) {
  return expandPaths(paths).flatMap((file) =>
    extractDocuments(readFileSync(file, 'utf8'), file).map((document) => ({
      source: basename(file),
      document,
    })),
  );
}

function conflict(where, first, second) {
  return new Error(
    `conflicting duplicate ${where}: ${first} and ${second} publish different values; settle it in the overlay after choosing one`,
  );
}

/**
 * Merges per-operation documents into one: `paths` (path items merged method by method),
 * `components` (entry by entry) and `tags` (by name) are united, everything else must be the same in
 * every document. A part published twice with different content is an error naming both sources.
 *
 * @param {Array<{ source: string, document: OpenApiDocument }>} entries
 * @returns {OpenApiDocument}
 */
export function mergeDocuments(entries) {
  if (entries.length === 0) throw new Error('no published document to merge');
  const [first, ...rest] = entries;
  const merged = structuredClone(first.document);
  // Where each merged part came from, for the error message.
  const origin = new Map();
  const unite = (target, key, value, where, source) => {
    if (!Object.hasOwn(target, key)) {
      target[key] = structuredClone(value);
      origin.set(where, source);
    } else if (!isDeepStrictEqual(target[key], value)) {
      throw conflict(where, origin.get(where) ?? first.source, source);
    }
  };

  for (const { source, document } of rest) {
    for (const [key, value] of Object.entries(document)) {
      if (key === 'paths' || key === 'webhooks') {
        merged[key] ??= {};
        for (const [path, item] of Object.entries(value ?? {})) {
          merged[key][path] ??= {};
          for (const [field, part] of Object.entries(item ?? {})) {
            unite(merged[key][path], field, part, `${key}['${path}'].${field}`, source);
          }
        }
      } else if (key === 'components') {
        merged.components ??= {};
        for (const [section, members] of Object.entries(value ?? {})) {
          merged.components[section] ??= {};
          for (const [name, member] of Object.entries(members ?? {})) {
            unite(merged.components[section], name, member, `components.${section}.${name}`, source);
          }
        }
      } else if (key === 'tags') {
        merged.tags ??= [];
        for (const tag of value ?? []) {
          const known = merged.tags.find((t) => t.name === tag.name);
          if (!known) merged.tags.push(structuredClone(tag));
          else if (!isDeepStrictEqual(known, tag)) throw conflict(`tag ${tag.name}`, first.source, source);
        }
      } else {
        unite(merged, key, value, key, source);
      }
    }
  }
  return merged;
}

/**
 * The provider's published description from files or directories, merged when there are several.
 * @param {string[]} paths
 * @returns {OpenApiDocument}
 */
export function loadPublished(paths) {
  return mergeDocuments(readPublishedDocuments(paths));
}

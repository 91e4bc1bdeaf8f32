// Applies an OpenAPI Overlay 1.0.0 document (https://spec.openapis.org/overlay/v1.0.0): its
// actions, in order, each selecting nodes with an RFC 9535 JSONPath `target` and either removing
// them or merging its `update` into them.
//
// Why this file rather than an overlay package: `pnpm specs:update` must fail when an action's
// target selects nothing (the provider changed what we patch), and no applier on npm says so.
// Redocly CLI 2.77 (`redocly bundle --overlay`, already installed) applies Overlay 1.0 but skips
// such an action silently, has no programmatic API, and selects with jsonpath-rfc9535 1.3.0, which
// parses `a && b && c` as `a && (b || c)`; openapi-overlays-js 0.2.0, openapi-format and bump-cli
// select with pre-RFC 9535 dialects (`jsonpath`, `jsonpathly`); Speakeasy's applier is a Go binary.
// So selecting is left to json-p3 (strict RFC 9535, tested against the JSONPath compliance suite)
// and only the small merge/remove step is written here; scripts/specs/overlays.test.ts checks that
// Redocly's applier builds the same documents from our overlays.
//
// Updates are kept unambiguous: Overlay 1.0.0 leaves open whether an update replaces or deeply
// merges a property that already holds an object or array, and appliers differ. Here an update may
// add properties and replace scalars only; to change an existing object or array, target it (or
// a node inside it), or remove it first. Every applier builds the same document from such actions.
import { jsonpath } from 'json-p3';

/** @typedef {import('./openapi.mjs').OpenApiDocument} OpenApiDocument */

/**
 * @typedef {object} OverlayAction
 * @property {string} target
 * @property {string} [description]
 * @property {unknown} [update]
 * @property {boolean} [remove]
 */

/**
 * @typedef {object} UnmatchedAction
 * @property {number} index Position in `actions`, from 0.
 * @property {OverlayAction} action
 * @property {string} label `action 3 ("its description", target $.…)`: how errors and reports name it.
 */

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
const isScalar = (value) => value === null || typeof value !== 'object';
const kind = (value) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

function describeAction(action, index) {
  return `action ${index + 1} (${action.description ? `"${firstLine(action.description)}", ` : ''}target ${action.target})`;
}

function firstLine(text) {
  const line = String(text).trim().split('\n')[0];
  return line.length > 100 ? `${line.slice(0, 97)}…` : line;
}

function merge(into, update, where) {
  for (const [key, value] of Object.entries(update)) {
    if (!Object.hasOwn(into, key)) into[key] = structuredClone(value);
    else if (isScalar(into[key]) && isScalar(value)) into[key] = value;
    else {
      throw new Error(
        `${where}: the update sets ${key}, which already holds ${kind(into[key])}; target it or remove it first (see overlay.mjs)`,
      );
    }
  }
}

/**
 * Checks an overlay document's shape: `overlay: 1.0.x`, `info`, and actions with a target and one modifier.
 * @param {any} overlay
 */
export function checkOverlay(overlay) {
  if (!isObject(overlay) || !/^1\.0\.\d+$/.test(String(overlay.overlay))) {
    throw new Error('not an Overlay 1.0 document (`overlay: 1.0.0` missing)');
  }
  if (!isObject(overlay.info) || !overlay.info.title || !overlay.info.version) {
    throw new Error('the overlay needs info.title and info.version');
  }
  if (!Array.isArray(overlay.actions) || overlay.actions.length === 0) {
    throw new Error('the overlay has no actions');
  }
  overlay.actions.forEach((action, index) => {
    const where = `overlay action ${index + 1}`;
    if (!isObject(action) || typeof action.target !== 'string' || !action.target.startsWith('$')) {
      throw new Error(`${where}: target must be a JSONPath query starting with $`);
    }
    if ((action.remove === true) === (action.update !== undefined)) {
      throw new Error(`${where} (${action.target}): give either \`update\` or \`remove: true\``);
    }
  });
}

/**
 * Applies `overlay` to a copy of `document`. Returns the result and the actions whose target
 * selected nothing (in order, with their index); those actions change nothing.
 *
 * @param {OpenApiDocument} document
 * @param {any} overlay
 * @returns {{ document: OpenApiDocument, unmatched: UnmatchedAction[] }}
 */
export function applyOverlay(document, overlay) {
  checkOverlay(overlay);
  const result = structuredClone(document);
  /** @type {UnmatchedAction[]} */
  const unmatched = [];
  overlay.actions.forEach((action, index) => {
    const label = describeAction(action, index);
    let selected;
    try {
      selected = jsonpath.query(action.target, result).nodes.map((node) => node.location);
    } catch (error) {
      throw new Error(`${label}: invalid JSONPath: ${error.message}`);
    }
    if (selected.length === 0) {
      unmatched.push({ index, action, label });
      return;
    }
    if (action.remove === true) {
      if (selected.some((keys) => keys.length === 0)) throw new Error(`${label}: cannot remove the root`);
      // Highest array index first, so removing one element does not shift the next one selected.
      const located = selected.map((keys) => ({
        parent: keys.slice(0, -1).reduce((at, k) => at[k], result),
        key: /** @type {string | number} */ (keys.at(-1)),
      }));
      located.sort(
        (a, b) => (typeof b.key === 'number' ? b.key : -1) - (typeof a.key === 'number' ? a.key : -1),
      );
      for (const { parent, key } of located) {
        if (Array.isArray(parent)) parent.splice(/** @type {number} */ (key), 1);
        else delete parent[key];
      }
      return;
    }
    for (const keys of selected) {
      const node = keys.reduce((at, k) => at[k], result);
      const where = `${label} at ${keys.join('.') || '$'}`;
      if (Array.isArray(node)) node.push(structuredClone(action.update));
      else if (isObject(node) && isObject(action.update)) merge(node, action.update, where);
      else
        throw new Error(
          `${where}: cannot apply ${kind(action.update)} to ${kind(node)} (Overlay 1.0 updates objects and arrays)`,
        );
    }
  });
  return { document: result, unmatched };
}

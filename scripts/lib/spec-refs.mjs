// Follows local `$ref`s (`#/components/...`) in a parsed OpenAPI document. Shared by the generator
// and the spec-derived test table so both read a spec the same way.

/** Returns the node `node` points at, following chained `$ref`s; `undefined` when a ref is dangling. */
export function resolveRef(spec, node) {
  let current = node;
  while (current && typeof current.$ref === 'string') {
    current = current.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((at, key) => at?.[key.replaceAll('~1', '/').replaceAll('~0', '~')], spec);
  }
  return current;
}

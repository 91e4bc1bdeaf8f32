// The other half of camelFieldNames: a friendly request in camelCase sent as the wire's snake_case
// fields (`jobId` → `job_id`), the fields the caller left unset (and `provider`) left out.

/** `{ jobId: 1, onlyActive: undefined }` → `{ job_id: 1 }`. */
export function snakeCaseFields<Request extends { provider?: unknown }>({
  provider: _,
  ...fields
}: Request): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).flatMap(([field, value]) =>
      value === undefined ? [] : [[field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`), value]],
    ),
  );
}

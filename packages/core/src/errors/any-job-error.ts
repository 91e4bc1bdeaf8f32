// Every error anyjob throws extends AnyJobError. Each class carries a global-symbol marker, so
// `X.isInstance(error)` works across duplicated copies of this package (two versions in one
// bundle, other realms), where `instanceof` would not.
//
// A subclass is one line: it names itself in `errorName`. The base constructor sets `name` and one
// marker per class in the chain, and the inherited static `isInstance` checks the marker of the
// class it is called on; so no class repeats the marker plumbing (the pattern of vercel/ai's
// errors, without a hand-written marker field per class).

const MARKER_PREFIX = 'anyjob.error.';

function markerOf(errorName: string): symbol {
  return Symbol.for(`${MARKER_PREFIX}${errorName}`);
}

/** The base of every error anyjob throws. */
export class AnyJobError extends Error {
  /** The class's stable name: `error.name`, and the key of the marker `isInstance` checks. */
  static readonly errorName: string = 'AnyJobError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    let type = new.target as unknown as typeof AnyJobError | undefined;
    this.name = type?.errorName ?? 'AnyJobError';
    // One non-enumerable marker per class from this one up to AnyJobError: JSON, inspect and
    // structured clone never show them.
    while (type && Object.hasOwn(type, 'errorName')) {
      Object.defineProperty(this, markerOf(type.errorName), { value: true });
      if (type === AnyJobError) break;
      type = Object.getPrototypeOf(type);
    }
  }

  /**
   * True for an instance of this class (or a subclass), from any copy of anyjob. Works unbound
   * too (`errors.filter(TimeoutError.isInstance)`): each class hands out its own check.
   */
  declare static readonly isInstance: <T>(this: { readonly prototype: T }, error: unknown) => error is T;
}

const checks = new WeakMap<object, (error: unknown) => boolean>();

// A getter rather than a method, so `X.isInstance` is bound to X even when passed around alone.
Object.defineProperty(AnyJobError, 'isInstance', {
  get(this: typeof AnyJobError) {
    let check = checks.get(this);
    if (!check) {
      const marker = markerOf(this.errorName);
      check = (error: unknown) =>
        typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
      checks.set(this, check);
    }
    return check;
  },
});

/** A setting is missing or malformed: an API key, a base URL, a region. Raised before any request. */
export class ConfigError extends AnyJobError {
  static override readonly errorName: string = 'ConfigError';
  /** The setting at fault (its option name, e.g. `baseUrl`), when one is. */
  readonly setting: string | undefined;

  constructor(message: string, details: { setting?: string; cause?: unknown } = {}) {
    super(message, { cause: details.cause });
    this.setting = details.setting;
  }
}

// Step timings of a script (the release and runtime checks print them on their last line).

/** `timed(label, work)` runs `work` and records how long it took under `label`; `summary()` lists them. */
export function createTimings() {
  const timings = {};
  return {
    async timed(label, work) {
      const started = performance.now();
      try {
        return await work();
      } finally {
        timings[label] = Math.round(performance.now() - started);
      }
    },
    /** `label 123 ms, other 45 ms`. */
    summary() {
      return Object.entries(timings)
        .map(([label, ms]) => `${label} ${ms} ms`)
        .join(', ');
    },
  };
}

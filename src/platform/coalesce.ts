/**
 * Calls that arrive while earlier ones are running are handed to `run` together, as one group (at
 * most `inFlight` groups run at a time). Under load one round trip then serves many callers; a call
 * that arrives alone goes at once. `run` answers the items in order; an Error answers its item with a
 * rejection, and if `run` throws, every item of the group is rejected.
 */
export function coalesce<T, R>(run: (items: T[]) => Promise<(R | Error)[]>, inFlight: number): (item: T) => Promise<R> {
  let waiting: { item: T; done: (r: R) => void; failed: (err: unknown) => void }[] = [];
  let running = 0;
  const drain = () => {
    while (waiting.length && running < inFlight) {
      const group = waiting;
      waiting = [];
      running++;
      void run(group.map((w) => w.item))
        .then(
          (results) => group.forEach((w, k) => (results[k] instanceof Error ? w.failed(results[k]) : w.done(results[k] as R))),
          (err: unknown) => group.forEach((w) => w.failed(err)),
        )
        .finally(() => {
          running--;
          drain();
        });
    }
  };
  return (item) =>
    new Promise<R>((done, failed) => {
      waiting.push({ item, done, failed });
      drain();
    });
}

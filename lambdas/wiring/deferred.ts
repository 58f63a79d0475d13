/**
 * A port whose adapter, and the AWS SDK package behind it, load on the port's first call. A step's
 * Lambda function then loads only its own code at init, and each SDK package the first time the step
 * calls it (a path that never calls it never loads it). Every port method is async, so each call can
 * wait for the load. A failed load is tried again on the next call.
 */
export function deferred<T extends object>(load: () => Promise<T>): T {
  let loaded: Promise<T> | undefined;
  const port = () =>
    (loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    }));
  return new Proxy({} as T, {
    get(_, method) {
      if (method === 'then') return undefined; // the port is not itself a promise
      return async (...args: unknown[]) => {
        const target = await port();
        return (target[method as keyof T] as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** One value per container, made on first use (a failed attempt is made again next time). */
export function onceAsync<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () =>
    (value ??= make().catch((error: unknown) => {
      value = undefined;
      throw error;
    }));
}

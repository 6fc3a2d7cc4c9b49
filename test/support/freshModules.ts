/**
 * Loads modules in a registry of their own: a handler that keeps its clients for the container's life starts
 * afresh, and the SDK modules loaded beside it are the ones its mocks and commands must come from.
 */
export function inFreshRegistry<T>(load: () => T): T {
  let loaded: { readonly value: T } | undefined;
  jest.isolateModules(() => {
    loaded = { value: load() };
  });
  if (loaded === undefined) throw new Error("jest.isolateModules did not run the loader");
  return loaded.value;
}

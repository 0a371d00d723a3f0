/**
 * `derive` remembered per object for as long as the object lives. For values derived from a
 * candidate's own fields only: candidates are never changed once built, and the candidates of
 * a cached scope serve many recalls, which then derive each value once.
 */
export function memoizedPerObject<K extends object, R>(derive: (key: K) => R): (key: K) => R {
  const remembered = new WeakMap<K, { value: R }>();
  return (key) => {
    let found = remembered.get(key);
    if (!found) {
      found = { value: derive(key) };
      remembered.set(key, found);
    }
    return found.value;
  };
}

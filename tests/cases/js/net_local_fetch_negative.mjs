// The file's own top-level function named fetch (hoisted: the name means
// it everywhere in the file) is not the global network client.
const cache = new Map();
const first = fetch("config");
function fetch(key) {
  return cache.get(key);
}
export function WebSocket(x) { return x; }
const ws = new WebSocket("wss://example.com/live");
// expect-none: perm-network

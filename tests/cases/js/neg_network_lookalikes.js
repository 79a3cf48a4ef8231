// Methods called get/request/fetch on unrelated objects.
const map = new Map();
map.get("k");
const store = { fetch: () => 1, request: () => 2 };
store.fetch();
store.request();
router.get("/api", handler);
const url = "fetch('https://example.com')";
// expect-none: perm-network

// Only a top-level declaration shadows the global for the whole file: a
// nested helper named fetch does not hide the global fetch elsewhere.
function loader() {
  function fetch(key) { return key; }
  return fetch("x");
}
fetch("https://example.com/data"); // expect: perm-network

// process.env[...] with a computed key.
function get(key) {
  return process.env[key]; // expect: perm-env-read
}
module.exports = get;

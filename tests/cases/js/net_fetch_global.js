// The fetch global.
async function ping() {
  const r = await fetch("https://api.example.com/v1/ping"); // expect: perm-network
  return r.ok;
}
module.exports = ping;

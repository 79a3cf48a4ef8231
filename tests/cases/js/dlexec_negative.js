// Fetches and runs git, but writes nothing and pipes nothing: no download-exec.
const { execSync } = require("child_process");
async function check() {
  const r = await fetch("https://registry.npmjs.org/left-pad");
  const j = await r.json();
  execSync("git status");
  return j;
}
// expect-none: download-exec

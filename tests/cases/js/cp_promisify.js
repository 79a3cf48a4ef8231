// util.promisify keeps the meaning of the wrapped function.
const util = require("util");
const { exec } = require("child_process");
const execP = util.promisify(exec); // expect: perm-process
async function main() {
  await execP("npm whoami"); // expect: perm-process
}
main();

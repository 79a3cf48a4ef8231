// ESM namespace import.
import * as childProcess from "node:child_process";
childProcess.execSync("id"); // expect: perm-process

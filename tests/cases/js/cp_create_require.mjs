// createRequire() gives a require function.
import { createRequire } from "node:module";
const req = createRequire(import.meta.url);
req("child_process").exec("id"); // expect: perm-process

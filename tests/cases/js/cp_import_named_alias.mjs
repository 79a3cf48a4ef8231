// ESM named import with an alias: the alias is what gets called.
import { exec as e, fork } from "child_process";
e("id"); // expect: perm-process
fork("./worker.js"); // expect: perm-process

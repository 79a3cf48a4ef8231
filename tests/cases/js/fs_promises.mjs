// fs/promises, fs.promises, and named ESM imports.
import { readFile } from "node:fs/promises";
import fs from "fs";
import * as fsp from "fs/promises";
await readFile("a.txt"); // expect: perm-fs-read
await fs.promises.writeFile("b.txt", "x"); // expect: perm-fs-write
await fsp.unlink("c.txt"); // expect: perm-fs-write

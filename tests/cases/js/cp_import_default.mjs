// ESM default import of a CommonJS builtin.
import cp from "child_process";
cp.spawn("ls"); // expect: perm-process

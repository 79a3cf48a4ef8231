// import() of a constant name binds like require; of a computed one is codegen.
const cp = await import("node:child_process");
cp.exec("ls"); // expect: perm-process
const name = process.argv[2];
await import(name); // expect: perm-codegen

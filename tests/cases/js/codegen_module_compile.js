// Node's module loader compiling a string: event-stream's last stage.
const Module = module.constructor;
const m = new Module();
m.paths = module.paths;
m._compile(payload, "x.js"); // expect: perm-codegen

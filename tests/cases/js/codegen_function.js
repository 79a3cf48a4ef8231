// The Function constructor, with and without new.
const add = new Function("a", "b", "return a + b"); // expect: perm-codegen
const f = Function(process.argv[2]); // expect: perm-codegen
const g = [].constructor.constructor("return process")(); // expect: perm-codegen

// Look-alikes that are not code generation.
// eval(payload) in a comment, and new Function(x) too.
const help = "call eval(x) or new Function(body) to run code";
const obj = { eval: (x) => x };
obj.eval("not the global");
setTimeout(() => console.log("tick"), 10);
setInterval(function () {}, 100);
const g = Function("return this")();
const h = new Function();
require("./local-module");
// expect-none: perm-codegen

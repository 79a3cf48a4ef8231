// Broken statements do not stop the analysis of the rest of the file.
const a = ;
const cp = require("child_process");
cp.exec("id"); // expect: perm-process
if (x) { y = ]; }
let @@ z = 3;
eval(x); // expect: perm-codegen

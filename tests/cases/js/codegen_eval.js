// eval of data, and indirect eval forms.
function run(code) {
  return eval(code); // expect: perm-codegen
}
(0, eval)("1 + 1"); // expect: perm-codegen
window["eval"]("x"); // expect: perm-codegen

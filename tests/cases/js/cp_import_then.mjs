// The module reaches its user through a promise: the import is the evidence.
import("child_process").then((m) => m.exec("id")); // expect: perm-process

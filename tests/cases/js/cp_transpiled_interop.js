// Babel, TypeScript and esbuild output: interop wrappers, .default, (0, f)().
"use strict";
var _child_process = _interopRequireDefault(require("child_process"));
const child_process_1 = __importDefault(require("child_process"));
var import_child_process = __toESM(require("child_process"));
(0, _child_process.default.exec)("ls"); // expect: perm-process
child_process_1.default.spawn("ls"); // expect: perm-process
(0, import_child_process.execSync)("id"); // expect: perm-process

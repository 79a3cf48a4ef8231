// Changing the environment.
process.env.NODE_ENV = "production"; // expect: perm-env-write
delete process.env.DEBUG; // expect: perm-env-write
Object.assign(process.env, { A: "1" }); // expect: perm-env-write

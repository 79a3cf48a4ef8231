// ESM named import of https.request.
import { request as send } from "node:https";
send("https://example.com/"); // expect: perm-network

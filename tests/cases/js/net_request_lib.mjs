// request and a default-imported axios.
import axios from "axios";
import request from "request";
request("https://example.com/x", () => {}); // expect: perm-network
await axios({ url: "https://example.com/y" }); // expect: perm-network

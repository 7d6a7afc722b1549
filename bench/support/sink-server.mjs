/**
 * A webhook receiver for the delivery benchmarks, run in its own process (node:child_process
 * fork) so that it gets its own core, as a real receiver would: answers every request 200 after
 * reading its body, and sends its port to the parent once listening.
 */
import http from "node:http";

const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-length": "0" });
    res.end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.send?.(server.address().port));
process.on("disconnect", () => process.exit(0));

'use strict';
// A conforming implementation (serve-reference behind test/fixtures/hostile/proxy.js) that answers
// `shutdown` ok and then crashes releasing what the last scenario left (SHUTDOWN_CRASH=signal: a
// SIGSEGV; =code: exit 3; =hang: never exits), as an engine whose JetTerm trips over a dangling pointer would. Protocol
// section 11: release everything, then exit 0. `smoke` says "exited with signal SIGSEGV after
// shutdown (expected 0)"; `run` must not end green either.
require('../fixtures/hostile/proxy').proxy({
  request(req, line, ctx) {
    if (req.cmd !== 'shutdown') return ctx.toServer(line);
    ctx.toClient(JSON.stringify({ id: req.id, result: 'ok' }));
    const how = process.env.SHUTDOWN_CRASH;
    if (how === 'hang') {
      // The proxy exits when its server does (stdin closed): not this one.
      process.exit = () => undefined;
      return void setInterval(() => undefined, 1000);
    }
    process.stdout.write('', () => (how === 'code' ? process.exit(3) : process.kill(process.pid, 'SIGSEGV')));
  },
});

#!/usr/bin/env python3
"""The ese-conformance process protocol (docs/protocol.md, version 1) over stdin/stdout, for model.py.

    python3 adapter.py [--fix after-term] [--fix temp-tables]

One JSON object per line each way; stdout carries protocol lines only, diagnostics go to stderr.
The `threads` capability is declared: each logical thread name runs its calls on a real thread of
its own (until `reset`), and the model tells threads apart by the OS thread that calls it. No call
ever blocks (no `in-flight`), so one lock around the engine serializes them; answers are written as
calls complete, possibly out of order. hold and release are never sent. `instance-state` and
`fault-injection` are declared too: force-instance-state and inject-fault (section 8) go to the
model. `--fix NAME` turns a deliberate bug off.
"""
import argparse
import inspect
import json
import queue
import sys
import threading

sys.dont_write_bytecode = True  # importing model.py must not leave __pycache__ in the example
import model  # noqa: E402

PROTOCOL = 1
CAPABILITIES = ["threads", "instance-state", "fault-injection"]
STATES = ("not-initialized", "restore-in-progress", "fatal-error", "normal")
STEPS = ("undo", "close-database", "close-sort")
HANDLE_OPS = {"instance", "sesid", "tableid"}  # argument names that carry a handle or a forged token


class BadRequest(Exception):
    """A request we cannot act on: answered with the protocol's error answer."""

    def __init__(self, error, message):
        super().__init__(message)
        self.error = error


def handle_arg(value):
    """Issued handles are strings; forged ones become strings that no live object is issued under."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict) and value.get("forged") in ("nil", "zero", "never-issued"):
        return "forged:" + value["forged"]
    raise BadRequest("bad-request", "a handle must be a string or a forged token, got %s" % json.dumps(value))


def call(engine, request):
    op, args = request.get("op"), request.get("args", {})
    fn = getattr(engine, op, None) if isinstance(op, str) and op.startswith("Jet") else None
    if fn is None:
        raise BadRequest("unknown-operation", "no operation named %s" % op)
    if not isinstance(args, dict):
        raise BadRequest("bad-request", "%s: args must be an object" % op)
    params = inspect.signature(fn).parameters
    # Unknown fields are ignored (protocol section 1); missing required ones are a bad request.
    kwargs = {k: handle_arg(v) if k in HANDLE_OPS else v for k, v in args.items() if k in params and k != "thread"}
    if "thread" in params:
        # Calls whose answer depends on the calling thread (contexts, a transaction's owner) get
        # the identity of the OS thread this call runs on, not the name the suite sent.
        kwargs["thread"] = threading.get_ident()
    missing = [n for n, p in params.items() if p.default is inspect.Parameter.empty and n not in kwargs]
    if missing:
        raise BadRequest("bad-request", "%s: missing %s" % (op, ", ".join(missing)))
    try:
        out = fn(**kwargs)
    except model.JetError as e:
        return {"result": "returned", "err": e.err} if e.err < 0 else {"result": "returned", "err": e.err, "out": {}}
    return {"result": "returned", "err": 0, "out": out}


def integer(request, name):
    value = request.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise BadRequest("bad-request", "%s: %s must be an integer" % (request["cmd"], name))
    return value


def control(engine, request):
    """force-instance-state and inject-fault (protocol section 8): answered ok only once in place."""
    if request["cmd"] == "inject-fault":
        step, err, times = request.get("step"), integer(request, "err"), integer(request, "times")
        if step not in STEPS or err >= 0 or times < 1:
            raise BadRequest("bad-request", "inject-fault: step one of %s, err < 0, times > 0" % ", ".join(STEPS))
        engine.inject(step, err, times)
        return
    state, inst = request.get("state"), engine.handles.get(request.get("instance")) if isinstance(request.get("instance"), str) else None
    if state not in STATES:
        raise BadRequest("bad-request", "force-instance-state: state one of %s" % ", ".join(STATES))
    if not isinstance(inst, model.Instance):
        raise BadRequest("bad-request", "force-instance-state: no instance %s" % json.dumps(request.get("instance")))
    engine.force(inst, state, integer(request, "cause") if state == "fatal-error" else None)


def answer(engine, request, fixes):
    """The answer to one request (without its id), and the engine to use from now on."""
    cmd = request.get("cmd")
    if cmd == "hello":
        if request.get("protocol") != PROTOCOL:
            raise BadRequest("unsupported-protocol", "speaks protocol %d only" % PROTOCOL)
        fixed = sorted(fixes)
        return {
            "result": "hello",
            "protocol": PROTOCOL,
            "implementation": {"name": "python-model", "version": "1.0.0" + ("+fix." + ".".join(fixed) if fixed else "")},
            "target": "current",
            "pointerWidth": 64,
            "capabilities": CAPABILITIES,
        }, engine
    if cmd == "reset":
        return {"result": "ok"}, model.Engine(fixes)
    if cmd == "call":
        if engine is None:
            raise BadRequest("bad-request", "call before reset")
        try:
            return call(engine, request), engine
        except (BadRequest, model.JetError):
            raise
        except Exception as e:  # a bug of this implementation: report it as an exception inside the call
            return {"result": "crash", "code": type(e).__name__, "message": str(e) or repr(e)}, engine
    if cmd in ("force-instance-state", "inject-fault"):
        if engine is None:
            raise BadRequest("bad-request", "%s before reset" % cmd)
        control(engine, request)
        return {"result": "ok"}, engine
    if cmd == "shutdown":
        return {"result": "ok"}, None
    raise BadRequest("unknown-command", "no command named %s (hold and release need in-flight, not declared)" % cmd)


class Server:
    """The reader (main thread) hands each call to the worker thread of its logical thread name."""

    def __init__(self, fixes):
        self.fixes = fixes
        self.engine = None
        self.engine_lock = threading.Lock()  # the model is not thread-safe, and no call blocks
        self.out_lock = threading.Lock()
        self.workers = {}  # logical thread name -> (thread, queue)

    def reply(self, rid, reply):
        with self.out_lock:
            sys.stdout.write(json.dumps({"id": rid, **reply}) + "\n")
            sys.stdout.flush()

    def respond(self, request):
        try:
            with self.engine_lock:
                reply, self.engine = answer(self.engine, request, self.fixes)
        except BadRequest as e:
            reply = {"result": "error", "error": e.error, "message": str(e)}
        self.reply(request["id"], reply)

    def work(self, jobs):
        while True:
            request = jobs.get()
            if request is None:
                return
            self.respond(request)

    def dispatch(self, request):
        name = request.get("thread")
        if request.get("cmd") != "call" or not isinstance(name, str):
            # reset, hello and shutdown come only when nothing is unanswered: a fresh state gets
            # fresh threads, so no thread of before is mistaken for one of the new state.
            if request.get("cmd") in ("reset", "shutdown"):
                self.stop_workers()
            self.respond(request)
            return
        if name not in self.workers:
            jobs = queue.Queue()
            worker = threading.Thread(target=self.work, args=(jobs,), name="logical-" + name, daemon=True)
            worker.start()
            self.workers[name] = (worker, jobs)
        self.workers[name][1].put(request)

    def stop_workers(self):
        for worker, jobs in self.workers.values():
            jobs.put(None)
        for worker, _ in self.workers.values():
            worker.join()
        self.workers = {}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fix", action="append", default=[], choices=model.BUGS, help="turn a deliberate bug off")
    server = Server(frozenset(parser.parse_args(argv).fix))
    for line in sys.stdin:
        try:
            request = json.loads(line)
            request["id"]
        except (ValueError, TypeError, KeyError) as e:
            print("python-model: cannot read a request (%s): %.200s" % (e, line.strip()), file=sys.stderr)
            continue
        server.dispatch(request)
        if request.get("cmd") == "shutdown":
            return 0
    server.stop_workers()
    return 0  # end of stdin without shutdown: exit cleanly too


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

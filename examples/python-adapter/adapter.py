#!/usr/bin/env python3
"""The ese-conformance process protocol (docs/protocol.md, version 1) over stdin/stdout, for model.py.

    python3 adapter.py [--fix after-term] [--fix temp-tables]

One JSON object per line each way; stdout carries protocol lines only, diagnostics go to stderr.
No capabilities are declared, so the suite sends one request at a time on thread "t1" and never
sends hold, release, force-instance-state or inject-fault. `--fix NAME` turns a deliberate bug off.
"""
import argparse
import inspect
import json
import sys

sys.dont_write_bytecode = True  # importing model.py must not leave __pycache__ in the example
import model  # noqa: E402

PROTOCOL = 1
HANDLE_OPS = {"instance", "sesid", "tableid"}  # argument names that carry a handle or a forged token
# Calls whose answer depends on the calling thread: session contexts, and the transaction a
# session context or thread owns (a nested transaction begun in it checks that owner: a
# materialized temp table, an update, a delete, a long value, DDL).
THREAD_AWARE = {
    "JetSetSessionContext", "JetResetSessionContext", "JetBeginTransaction", "JetBeginTransaction2", "JetOpenTempTable",
    "JetCreateTable", "JetAddColumn", "JetPrepareUpdate", "JetSetColumn", "JetUpdate", "JetDelete",
}


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
    op, args, thread = request.get("op"), request.get("args", {}), request.get("thread")
    fn = getattr(engine, op, None) if isinstance(op, str) and op.startswith("Jet") else None
    if fn is None:
        raise BadRequest("unknown-operation", "no operation named %s" % op)
    if not isinstance(args, dict):
        raise BadRequest("bad-request", "%s: args must be an object" % op)
    params = inspect.signature(fn).parameters
    # Unknown fields are ignored (protocol section 1); missing required ones are a bad request.
    kwargs = {k: handle_arg(v) if k in HANDLE_OPS else v for k, v in args.items() if k in params}
    if op in THREAD_AWARE:
        kwargs["thread"] = thread
    missing = [n for n, p in params.items() if p.default is inspect.Parameter.empty and n not in kwargs]
    if missing:
        raise BadRequest("bad-request", "%s: missing %s" % (op, ", ".join(missing)))
    try:
        out = fn(**kwargs)
    except model.JetError as e:
        return {"result": "returned", "err": e.err} if e.err < 0 else {"result": "returned", "err": e.err, "out": {}}
    return {"result": "returned", "err": 0, "out": out}


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
            "capabilities": [],
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
    if cmd == "shutdown":
        return {"result": "ok"}, None
    raise BadRequest("unknown-command", "no command named %s (no capability is declared)" % cmd)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fix", action="append", default=[], choices=model.BUGS, help="turn a deliberate bug off")
    fixes = frozenset(parser.parse_args(argv).fix)
    engine = None
    for line in sys.stdin:
        try:
            request = json.loads(line)
            rid = request["id"]
        except (ValueError, TypeError, KeyError) as e:
            print("python-model: cannot read a request (%s): %.200s" % (e, line.strip()), file=sys.stderr)
            continue
        try:
            reply, engine = answer(engine, request, fixes)
        except BadRequest as e:
            reply = {"result": "error", "error": e.error, "message": str(e)}
        sys.stdout.write(json.dumps({"id": rid, **reply}) + "\n")
        sys.stdout.flush()
        if request.get("cmd") == "shutdown":
            return 0
    return 0  # end of stdin without shutdown: exit cleanly too


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

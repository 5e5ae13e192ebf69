"""Run a command in the runner container and record its stdout and stderr, in arrival order, in a
file the host reads back: `python3 -S capture.py OUT argv...`. Standard library only; it runs inside
the container.

Why not docker's exec stream: dockerd waits a bounded time for the stream copy once the process
has exited, and on a loaded machine a short step's whole output was lost (seen at load 6 on 2
cores). A file on the bind mount cannot be cut short. One reader for both pipes also keeps their
order at least as well as docker's two copiers did.
"""
import os
import selectors
import subprocess
import sys

STREAMS = {1: b"O", 2: b"E"}


def main() -> int:
    out_path, argv = sys.argv[1], sys.argv[2:]
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    selector = selectors.DefaultSelector()
    selector.register(child.stdout, selectors.EVENT_READ, STREAMS[1])
    selector.register(child.stderr, selectors.EVENT_READ, STREAMS[2])
    with open(out_path, "wb") as out:
        while selector.get_map():
            for key, _ in selector.select():
                data = os.read(key.fileobj.fileno(), 65536)
                if not data:
                    selector.unregister(key.fileobj)
                    continue
                # A record: stream letter, byte count, newline, the bytes.
                out.write(key.data + str(len(data)).encode() + b"\n" + data)
    code = child.wait()
    return 128 - code if code < 0 else code


if __name__ == "__main__":
    sys.exit(main())

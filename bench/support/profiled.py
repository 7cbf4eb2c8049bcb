"""Run a module (daphne) under a sampling profiler that sees every thread (the event loop and
the threads where database work runs), and write where the time went when it exits.

    python -m bench.support.profiled OUT.txt -m daphne ... villagegov.asgi:application

It samples only between SIGUSR1 and SIGUSR2 (the vote storm sends them around the votes and the
close), so the minute of sockets connecting does not drown the storm.
"""

import collections
import runpy
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType

INTERVAL = 0.002


class Sampler(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.active = threading.Event()
        self.samples = 0
        self.leaf: collections.Counter[str] = collections.Counter()
        self.cumulative: collections.Counter[str] = collections.Counter()
        self.per_thread: collections.Counter[str] = collections.Counter()

    def run(self) -> None:
        me = threading.get_ident()
        names = {}
        while not self.stop.is_set():
            if not self.active.wait(timeout=0.1):
                continue
            names = {t.ident: t.name for t in threading.enumerate()}
            for ident, frame in sys._current_frames().items():
                if ident == me:
                    continue
                self._record(names.get(ident, str(ident)), frame)
            self.samples += 1
            time.sleep(INTERVAL)

    def _record(self, thread: str, frame: FrameType | None) -> None:
        seen = set()
        first = True
        while frame is not None:
            code = frame.f_code
            key = f"{code.co_filename.split('site-packages/')[-1]}:{code.co_name}"
            if first:
                if code.co_name in ("wait", "select", "poll", "_worker", "sleep", "epoll", "acquire"):
                    return  # idle thread
                self.leaf[key] += 1
                self.per_thread[thread.split("_")[0]] += 1
                first = False
            if key not in seen:
                self.cumulative[key] += 1
                seen.add(key)
            frame = frame.f_back

    def write(self, path: Path) -> None:
        lines = [
            f"samples (busy thread-stacks) every {INTERVAL * 1000:.0f} ms: {self.samples}",
            "",
            "by thread:",
        ]
        lines += [f"{n:8d}  {name}" for name, n in self.per_thread.most_common(10)]
        lines += ["", "cumulative (a function anywhere on a busy stack):"]
        lines += [f"{n:8d}  {key}" for key, n in self.cumulative.most_common(80)]
        lines += ["", "leaf (the function running):"]
        lines += [f"{n:8d}  {key}" for key, n in self.leaf.most_common(50)]
        path.write_text("\n".join(lines) + "\n")


def main() -> None:
    out = Path(sys.argv[1])
    assert sys.argv[2] == "-m"
    module = sys.argv[3]
    sys.argv = [module, *sys.argv[4:]]
    sampler = Sampler()
    signal.signal(signal.SIGUSR1, lambda signum, frame: sampler.active.set())
    signal.signal(signal.SIGUSR2, lambda signum, frame: sampler.active.clear())
    sampler.start()
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    finally:
        sampler.stop.set()
        sampler.write(out)


if __name__ == "__main__":
    main()

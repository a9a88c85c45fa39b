"""How fast this machine computes right now: the median time of a fixed pure-Python workload.

The development machine is a virtual machine whose host is at times much slower (the same
test took 20 s in one run and 33 s in another). Printed before and after a measurement, this
shows the phase it ran in; smaller is faster. ``python -m benchmarks.speed_reference``
"""

from __future__ import annotations

import json
import statistics
import time


def workload() -> None:
    table: dict[str, list[object]] = {}
    for i in range(60_000):  # a loop, not a comprehension: the figures in RESULTS.md used it
        table[str(i)] = [i, i * 2, {"k": i}]
    json.loads(json.dumps(table))


def speed_ms(repetitions: int = 7) -> float:
    times = []
    for _ in range(repetitions):
        started = time.perf_counter()
        workload()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    print(f"Rechnertempo: {speed_ms():.0f} ms (Median von 7; kleiner ist schneller)")

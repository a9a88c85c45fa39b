"""Memory figures of the running process from ``/proc/self/status`` (standard library only,
so a measured child imports nothing extra for it).

``VmHWM`` is the peak resident memory of the process's own address space. ``ru_maxrss``
(``getrusage``) is no use for a child of a benchmark: Linux carries the high-water mark of the
address space replaced at ``exec`` into it, so the child reports the parent's size.
"""

from __future__ import annotations


def status_mb(key: str = "VmHWM") -> float:
    """``key`` of ``/proc/self/status`` (e.g. ``VmHWM``, ``VmRSS``) in MB; 0.0 if missing."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return 0.0

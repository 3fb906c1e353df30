"""smaps_rss.py -- what a process's resident memory is made of, from
/proc/PID/smaps: the heap, other anonymous memory, pages of mapped files
and the largest of them.  Shared by the benches that print RSS."""

import collections
import os


def breakdown(pid, top=6):
    """One line: kB resident by kind of mapping, the largest files."""
    by = collections.Counter()
    name = None
    with open("/proc/%d/smaps" % pid) as f:
        for line in f:
            p = line.split()
            if "-" in p[0] and not p[0].endswith(":"):
                name = os.path.basename(p[5]) if len(p) > 5 else "[anon]"
            elif p[0] == "Rss:":
                by[name] += int(p[1])
    heap = by.pop("[heap]", 0)
    anon = sum(v for k, v in by.items() if k.startswith("["))
    files = collections.Counter({k: v for k, v in by.items()
                                 if not k.startswith("[")})
    largest = ", ".join("%s %d" % (k.split(".so")[0], v)
                        for k, v in files.most_common(top))
    return ("heap %d kB, other anonymous %d kB, mapped files %d kB "
            "(%d files; largest: %s)" % (heap, anon, sum(files.values()),
                                          len(files), largest))

"""The chapter 08 workloads in the real CPython, run by `cargo run -p lesson-08`.

Usage (the lesson calls it; you can too):
    python3 workloads.py info
    python3 workloads.py calibrate SECONDS
    python3 workloads.py cpu threads|processes N ITERATIONS
    python3 workloads.py io  threads|processes N SLEEPS MILLISECONDS
    python3 workloads.py race plain|call N TIMES SWITCH_INTERVAL_SECONDS

Each command prints one line of `key=value` pairs for the lesson to read.
"""

import multiprocessing
import sys
import threading
import time


# ANCHOR: cpu_loop
def count(iterations):
    """The CPU-bound loop: pure bytecode, no I/O, nothing that releases the GIL."""
    total = 0
    for i in range(iterations):
        total += i
    return total
# ANCHOR_END: cpu_loop


# ANCHOR: io_wait
def wait(sleeps, milliseconds):
    """The I/O-bound stand-in: time.sleep releases the GIL while it blocks."""
    for _ in range(sleeps):
        time.sleep(milliseconds / 1000)
    return sleeps
# ANCHOR_END: io_wait


# ANCHOR: threads_and_processes
def in_threads(n, work, args):
    threads = [threading.Thread(target=work, args=args) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def in_processes(n, work, args):
    # The pool's start-up (n forked workers) is inside the timed region: it is part
    # of what processes cost.
    with multiprocessing.Pool(n) as pool:
        pool.starmap(work, [args] * n)
# ANCHOR_END: threads_and_processes


def info():
    gil = getattr(sys, "_is_gil_enabled", None)
    if gil is None:
        build = "GIL build (sys._is_gil_enabled does not exist before 3.13)"
    elif gil():
        build = "GIL enabled (sys._is_gil_enabled() is True)"
    else:
        build = "free-threaded, GIL disabled (sys._is_gil_enabled() is False)"
    print(f"version={sys.version.split()[0]} build={build}")


def calibrate(seconds):
    """How many loop iterations one thread runs in about `seconds`."""
    iterations = 10_000
    while True:
        start = time.perf_counter()
        count(iterations)
        took = time.perf_counter() - start
        if took >= seconds / 4:
            print(f"iterations={int(iterations * seconds / took)}")
            return
        iterations *= 2


# ANCHOR: race
x = 0


def add_plain(times):
    """x += 1: a read, an add and a write of the global, with no call in between."""
    global x
    for _ in range(times):
        x += 1


def add_across_a_call(times):
    """The same read-modify-write with a call between the read and the write."""
    global x
    for _ in range(times):
        seen = x
        abs(0)
        x = seen + 1


def race(how, n, times, interval):
    """n threads add 1 to x `times` times each; prints what x ended at."""
    sys.setswitchinterval(interval)
    work = add_plain if how == "plain" else add_across_a_call
    in_threads(n, work, (times,))
    print(f"x={x} expected={n * times}")
# ANCHOR_END: race


def main(argv):
    if argv[:1] == ["info"]:
        return info()
    if argv[:1] == ["calibrate"]:
        return calibrate(float(argv[1]))
    if argv[:1] == ["race"]:
        return race(argv[1], int(argv[2]), int(argv[3]), float(argv[4]))
    kind, how, n = argv[0], argv[1], int(argv[2])
    if kind == "cpu":
        # The total work is fixed; n workers share it.
        work, args = count, (int(argv[3]) // n,)
    else:
        # Each worker waits the same, however many there are.
        work, args = wait, (int(argv[3]), float(argv[4]))
    run = in_threads if how == "threads" else in_processes
    start = time.perf_counter()
    run(n, work, args)
    print(f"seconds={time.perf_counter() - start:.6f}")


if __name__ == "__main__":
    main(sys.argv[1:])

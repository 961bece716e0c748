#!/usr/bin/env python3
"""Inflates a gzip file with Python's zlib (C zlib, CRC-32 checked), for comparison
with `tinynn-bench inflate FILE PASSES`: prints the median and spread of CPU ms per pass."""
import sys
import time
import zlib

path = sys.argv[1]
passes = int(sys.argv[2]) if len(sys.argv) > 2 else 20
raw = open(path, "rb").read()
times = []
for _ in range(max(1, passes)):
    t0 = time.process_time()
    out = zlib.decompress(raw, 31)  # wbits 31: a gzip wrapper, header and trailer checked
    times.append((time.process_time() - t0) * 1e3)
times.sort()
print(f"zlib {zlib.ZLIB_RUNTIME_VERSION} inflate {path}: {times[len(times) // 2]:.2f} ms CPU per pass"
      f" (median of {len(times)}; {times[0]:.2f}…{times[-1]:.2f}), {len(out)} bytes, crc32 {zlib.crc32(out):08x}")

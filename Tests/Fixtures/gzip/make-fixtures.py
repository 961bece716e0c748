#!/usr/bin/env python3
"""Makes the gzip fixtures of GzipTests with Python's zlib (run from this directory;
the outputs are committed, so `swift test` needs no Python). Each NAME.gz inflates
to NAME.raw, except the *-bomb and *-bad files, which the tests expect to be refused."""
import gzip
import random
import struct
import zlib

rng = random.Random(15)
words = [bytes(rng.choice(b"etaoinshrdlucmfw") for _ in range(rng.randint(1, 9))) for _ in range(300)]
text = b" ".join(rng.choice(words) for _ in range(6000))
noise = bytes(rng.getrandbits(8) for _ in range(5000))
runs = b"".join(bytes([rng.getrandbits(8)]) * rng.randint(1, 600) + bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 7))) * rng.randint(1, 80) for _ in range(200))


def deflate(data, level=9, strategy=zlib.Z_DEFAULT_STRATEGY, memlevel=8):
    c = zlib.compressobj(level, zlib.DEFLATED, -15, memlevel, strategy)
    return c.compress(data) + c.flush()


def member(data, body=None, flags=0, extra=b"", name=b"", comment=b"", header_crc=True):
    header = struct.pack("<BBBBIBB", 0x1F, 0x8B, 8, flags, 0, 0, 3)
    if flags & 4:
        header += struct.pack("<H", len(extra)) + extra
    if flags & 8:
        header += name + b"\0"
    if flags & 16:
        header += comment + b"\0"
    if flags & 2:
        crc = zlib.crc32(header) & 0xFFFF
        header += struct.pack("<H", crc if header_crc else crc ^ 0x5A5A)
    body = deflate(data) if body is None else body
    return header + body + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)


def write(name, gz, raw=None):
    open(name + ".gz", "wb").write(gz)
    if raw is not None:
        open(name + ".raw", "wb").write(raw)
    assert raw is None or gzip.decompress(gz) == raw


write("text-dynamic", member(text), text)
write("text-fixed", member(text, deflate(text, 6, zlib.Z_FIXED)), text)
write("noise-stored", member(noise, deflate(noise, 0)), noise)
write("noise-level6", member(noise, deflate(noise, 6)), noise)
write("runs-dynamic", member(runs), runs)
write("runs-small-window", member(runs, deflate(runs, 1, zlib.Z_DEFAULT_STRATEGY, 1)), runs)
write("empty", member(b""), b"")
write("header-fields", member(text[:3000], flags=2 | 4 | 8 | 16, extra=bytes(range(256)) * 2,
                              name=b"text.txt", comment=b"a comment"), text[:3000])
write("extra-length-254", member(text[:500], flags=4, extra=b"x" * 0x1FE), text[:500])
write("extra-length-255", member(text[:500], flags=4, extra=b"y" * 255), text[:500])
write("members", member(text[:2000]) + member(b"") + member(runs[:3000], flags=8, name=b"second"),
      text[:2000] + runs[:3000])
write("header-crc-bad", member(text[:500], flags=2, header_crc=False))
# 16 MiB of zeros (about 16 KB of DEFLATE): refused under a cap of 1 MiB.
write("zeros-bomb", member(bytes(1 << 24)))
# An IDX images header for one 28 x 28 image followed by 16 MiB of zeros: the
# header promises 800 bytes.
write("idx-bomb", member(struct.pack(">IIII", 0x803, 1, 28, 28) + bytes(1 << 24)))

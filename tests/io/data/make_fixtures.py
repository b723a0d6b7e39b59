#!/usr/bin/env python3
"""Writes the .npy / .npz fixtures of tests/io/npy_file_test.cpp.

The bytes are written here from the format specifications alone, with Python's standard
library (struct, zipfile, zlib), independently of the C++ reader under test and of the
test's own C++ writer:

* .npy: numpy.lib.format ("NPY format", versions 1.0, 2.0, 3.0): the magic string
  b"\\x93NUMPY", major and minor version bytes, the header length (little-endian uint16
  for 1.0, uint32 for 2.0 and 3.0), the header (the repr of a dict with the keys 'descr',
  'fortran_order', 'shape', sorted), padded with spaces and terminated by a newline so
  that the data starts at a multiple of 64 bytes, then the raw data in C or Fortran order.
* .npz: a ZIP archive of NAME.npy members written by zipfile, as np.savez does
  (zipfile.ZipFile(...).open(name, "w", force_zip64=True)): ZIP_STORED for np.savez,
  ZIP_DEFLATED for np.savez_compressed. Timestamps are fixed so the output is
  reproducible.

Run from anywhere: python3 tests/io/data/make_fixtures.py (writes next to this script).
The expected values are spelled out in the C++ test, which reads these files.
"""
import math
import os
import struct
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
MAGIC = b"\x93NUMPY"
ALIGN = 64
FIXED_TIME = (2024, 1, 1, 0, 0, 0)


def header_dict(descr, fortran_order, shape):
    shape_repr = repr(tuple(shape))  # (2, 3), (5,), ()
    return "{'descr': %r, 'fortran_order': %r, 'shape': %s, }" % (descr, fortran_order, shape_repr)


def npy_bytes(descr, fortran_order, shape, flat_values, version=(1, 0), header_text=None, align=ALIGN):
    """flat_values are in file order (already arranged for fortran_order)."""
    text = header_text if header_text is not None else header_dict(descr, fortran_order, shape)
    encoding = "utf8" if version == (3, 0) else "latin1"
    header = text.encode(encoding)
    length_format = "<H" if version == (1, 0) else "<I"
    preamble = len(MAGIC) + 2 + struct.calcsize(length_format)
    # header + padding spaces + '\n' must end on a multiple of `align`.
    pad = align - (preamble + len(header) + 1) % align
    if pad == align:
        pad = 0
    header = header + b" " * pad + b"\n"
    assert (preamble + len(header)) % align == 0
    out = MAGIC + bytes(version) + struct.pack(length_format, len(header)) + header
    code = descr[1:]
    order = descr[0]
    pack_char = {"f4": "f", "f8": "d", "i4": "i", "i8": "q", "f2": "e"}[code]
    out += struct.pack(order + pack_char * len(flat_values), *flat_values)
    return out


def fortran_flat(rows):
    """Column-major order of a list of rows."""
    return [rows[i][j] for j in range(len(rows[0])) for i in range(len(rows))]


def c_flat(rows):
    return [x for row in rows for x in row]


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def write_npz(name, members, compression):
    """members: list of (array name, npy bytes); written as np.savez does."""
    path = os.path.join(HERE, name)
    with zipfile.ZipFile(path, "w", compression=compression, allowZip64=True) as archive:
        for array_name, data in members:
            info = zipfile.ZipInfo(array_name + ".npy", date_time=FIXED_TIME)
            info.compress_type = compression
            with archive.open(info, "w", force_zip64=True) as member:
                member.write(data)
    return path


# ---- .npy -------------------------------------------------------------------------

W_F8 = [[1.5, -2.25, 3.0], [0.1, 1e-300, -7.0]]
write("weights_f8_c.npy", npy_bytes("<f8", False, (2, 3), c_flat(W_F8)))

W_F4 = [[0.1, -1.0], [2.5, 3.0e-8], [65504.0, -0.0]]
write("weights_f4_fortran_be.npy", npy_bytes(">f4", True, (3, 2), fortran_flat(W_F4)))

write("labels_i8.npy", npy_bytes("<i8", False, (5,), [0, 0, 1, 1, 2]))

write("labels_i4_v2.npy", npy_bytes("<i4", False, (4,), [3, -1, 0, 2147483647], version=(2, 0)))

write("counts_i8_fortran_be_v3.npy", npy_bytes(">i8", True, (2, 2), fortran_flat([[1, 2], [3, 4]]), version=(3, 0)))

# An old writer's header: 16-byte alignment, Python 2 longs, no trailing comma.
write("legacy_header.npy",
      npy_bytes("<f8", False, (3,), [1.0, 2.0, 3.0],
                header_text="{'descr': '<f8', 'fortran_order': False, 'shape': (3L,)}", align=16))

# Error cases.
write("nan_f4.npy", npy_bytes("<f4", False, (2, 3), [1.0, 2.0, 3.0, math.nan, 5.0, 6.0]))
write("half_f2.npy", npy_bytes("<f2", False, (2,), [1.0, 2.0]))
obj = npy_bytes("<f8", False, (1,), [0.0], header_text="{'descr': '|O', 'fortran_order': False, 'shape': (1,), }")
write("object.npy", obj)

# ---- .npz -------------------------------------------------------------------------

W1 = [[1.0, -0.5], [0.25, 2.0], [-3.0, 0.125]]       # 3 x 2
W2 = [[0.5, 1.5, -1.0], [2.0, -0.75, 0.0625]]        # 2 x 3, saved in Fortran order
X = [[0.1, 0.2, 0.3, 0.4], [-1.0, -2.0, -3.0, -4.0]]  # d = 2, N = 4
Y = [0, 0, 1, 1]
NETWORK = [
    ("W1", npy_bytes("<f8", False, (3, 2), c_flat(W1))),
    ("W2", npy_bytes("<f8", True, (2, 3), fortran_flat(W2))),
    ("X", npy_bytes("<f8", False, (2, 4), c_flat(X))),
    ("y", npy_bytes("<i8", False, (4,), Y)),
]
write_npz("network.npz", NETWORK, zipfile.ZIP_STORED)
write_npz("network_compressed.npz", NETWORK, zipfile.ZIP_DEFLATED)

# ZIP64 throughout: with the limit at 0, zipfile writes ZIP64 extra fields in the
# central directory (sizes, and offsets after the first member) and the ZIP64
# end-of-central-directory record and locator. APPNOTE 4.4.1.4 then lets the classic end
# record hold 0xFFFF / 0xFFFFFFFF; those are patched in by hand.
saved_limit = zipfile.ZIP64_LIMIT
zipfile.ZIP64_LIMIT = 0
try:
    path = write_npz("zip64.npz", NETWORK[:2], zipfile.ZIP_DEFLATED)
finally:
    zipfile.ZIP64_LIMIT = saved_limit
with open(path, "rb") as f:
    data = bytearray(f.read())
end = len(data) - 22
assert data[end:end + 4] == b"PK\x05\x06" and data[end - 20:end - 16] == b"PK\x06\x07"
data[end + 8:end + 20] = struct.pack("<HHII", 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
write("zip64.npz", bytes(data))

# A stored archive whose second member has one data byte changed after writing.
path = write_npz("bad_crc.npz", NETWORK[:2], zipfile.ZIP_STORED)
with open(path, "rb") as f:
    data = bytearray(f.read())
with zipfile.ZipFile(path) as archive:
    info = archive.getinfo("W2.npy")
local = info.header_offset
name_length, extra_length = struct.unpack("<HH", data[local + 26:local + 30])
data[local + 30 + name_length + extra_length + 128] ^= 0x01  # inside the data, after the header
write("bad_crc.npz", bytes(data))

"""A small .npy / .npz toolkit on python3's standard library (struct, zipfile, no numpy),
shared by the command-line tests (import_test.sh, robustness_test.sh): it writes and reads
the NumPy formats independently of the readers under test."""
import ast, json, math, struct, zipfile

CODES = {"<f8": "d", "<f4": "f", "<i8": "q", "<i4": "i", "<f2": "e"}

def count(shape):
    n = 1
    for s in shape:
        n *= s
    return n

def parse(b):
    """(header dict, row-major values, data offset) of .npy bytes."""
    assert b[:6] == b"\x93NUMPY", "magic"
    if b[6] == 1:
        (hlen,) = struct.unpack("<H", b[8:10]); start = 10
    else:
        (hlen,) = struct.unpack("<I", b[8:12]); start = 12
    header = ast.literal_eval(b[start:start + hlen].decode("latin1"))
    shape, n = header["shape"], count(header["shape"])
    data = b[start + hlen:]
    values = list(struct.unpack("<%d%s" % (n, CODES[header["descr"]]), data))
    if header["fortran_order"] and len(shape) == 2:
        rows, cols = shape
        values = [values[j * rows + i] for i in range(rows) for j in range(cols)]
    return header, values, start + hlen

def npy(descr, shape, values, fortran=False):
    """.npy bytes (version 1.0, 64-byte aligned) of row-major values. The data are the
    values given: a test may give fewer than the shape declares (a corrupt file)."""
    shape = tuple(shape)
    if fortran and len(shape) == 2:
        rows, cols = shape
        values = [values[i * cols + j] for j in range(cols) for i in range(rows)]
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (descr, fortran, repr(shape))
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1") + \
        struct.pack("<%d%s" % (len(values), CODES[descr]), *values)

def read_npz(path):
    """{name: (descr, shape, row-major values)} in archive order."""
    arrays = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            header, values, _ = parse(z.read(name))
            arrays[name[:-4]] = (header["descr"], header["shape"], values)
    return arrays

def write_npz(path, arrays, compressed=False):
    """arrays: {name: (descr, shape, row-major values[, fortran])}."""
    method = zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", method) as z:
        for name, array in arrays.items():
            z.writestr(name + ".npy", npy(*array))

def transpose(shape, values):
    rows, cols = shape
    return (cols, rows), [values[i * cols + j] for j in range(cols) for i in range(rows)]

def verdicts(path):
    with open(path) as f:
        return json.load(f)

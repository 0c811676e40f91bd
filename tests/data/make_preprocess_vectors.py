#!/usr/bin/python3
"""Writes Pillow reference vectors for tst_preprocess (run with Debian's python3-pil; dev-time only).

Each case: a PNG and the RGB bytes of CLIP's eval transform before ToTensor
(Resize(n, BICUBIC) -> CenterCrop(n) -> convert("RGB")), computed by Pillow.
"""
import json, os, random
from PIL import Image

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "preprocess")
rng = random.Random(1234)

def noise(mode, size):
    w, h = size
    bands = {"RGB": 3, "L": 1, "RGBA": 4}[mode]
    data = bytes(rng.randrange(256) if (i % 7) else 255 for i in range(w * h * bands))
    return Image.frombytes(mode, size, data)

def clip_transform(im, n):
    w, h = im.size
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = n, int(n * long / short)
    new_w, new_h = (new_short, new_long) if w <= h else (new_long, new_short)
    im = im.resize((new_w, new_h), Image.BICUBIC)
    top = int(round((new_h - n) / 2.0)); left = int(round((new_w - n) / 2.0))
    im = im.crop((left, top, left + n, top + n))
    return list(im.convert("RGB").tobytes())

cases = []
def add(name, im, n):
    path = os.path.join(HERE, name + ".png")
    im.save(path)
    cases.append({"file": name + ".png", "size": n, "rgb": clip_transform(Image.open(path), n)})

add("rgb_down", noise("RGB", (37, 23)), 16)
add("grey_up", noise("L", (10, 14)), 16)
rgba = noise("RGBA", (45, 30))
add("rgba_down", rgba, 16)
pal = noise("RGB", (33, 20)).quantize(colors=16)
add("palette_down", pal, 16)
add("rgb_crop_only", noise("RGB", (16, 21)), 16)
add("rgb_odd_slack", noise("RGB", (40, 19)), 16)
json.dump(cases, open(os.path.join(HERE, "expected.json"), "w"))
print(len(cases), "cases")

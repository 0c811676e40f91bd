#!/usr/bin/env python3
"""Eager-PyTorch peer for `radapter bench --mode train`: one R-Adapter training step on a random
CLIP (both towers, OpenAI's module structure), the same work as the C++ benchmark: full-rank
zero-initialised adapters with gate s = 0.1 after every attention and MLP output, per-sample
adapter dropping p = 0.2, frozen pre-trained weights, MPM-NCE (eps 0.02, delta 0.05, scale 100),
backward, gradient clipping, AdamW, EMA update. Prints one JSON line with images/s and peak RSS.

    /usr/bin/python3 bench/eager_radapter_train.py --batch 16 --steps 5 --threads 2 [--precision bf16]
        [--device cuda]
"""
import json, resource, time
import torch
import torch.nn.functional as F
from torch import nn

from eager_clip import ARCHS, Block, VisionTransformer, parse_bench_options, synchronize


class Adapter(nn.Module):
    def __init__(self, d, p=0.2):
        super().__init__()
        self.f = nn.Linear(d, d, bias=False)
        nn.init.zeros_(self.f.weight)
        self.s = nn.Parameter(torch.tensor(0.1))
        self.p = p

    def forward(self, h):
        z = self.f(h)  # h: (L, N, D), sequence-first as OpenAI
        if self.training and self.p > 0:
            keep = 1 - self.p
            mask = torch.empty(1, h.shape[1], 1, dtype=z.dtype, device=z.device).bernoulli_(keep) / keep
            z = z * mask
        return h + self.s * z


class Clip(nn.Module):
    """Both towers with adapters in every block; the image tower is eager_clip's."""

    def __init__(self, width, layers, heads, patch, res, embed, twidth=512, tlayers=12, theads=8, ctx=77, vocab=49408):
        super().__init__()
        self.visual = VisionTransformer(width, layers, heads, patch, res, embed, adapter=Adapter)
        self.token_embedding = nn.Embedding(vocab, twidth)
        self.tpos = nn.Parameter(0.01 * torch.randn(ctx, twidth))
        self.tblocks = nn.Sequential(*[Block(twidth, theads, ctx, adapter=Adapter) for _ in range(tlayers)])
        self.ln_final = nn.LayerNorm(twidth)
        self.text_projection = nn.Parameter(twidth ** -0.5 * torch.randn(twidth, embed))

    def encode_image(self, x):
        return self.visual(x)

    def encode_text(self, t):
        x = (self.token_embedding(t) + self.tpos).permute(1, 0, 2)
        x = self.ln_final(self.tblocks(x).permute(1, 0, 2))
        return x[torch.arange(x.shape[0], device=x.device), t.argmax(-1)] @ self.text_projection


def mpm_nce(img, txt, labels, eps=0.02, delta=0.05, scale=100.0):
    y = (labels[:, None] == labels[None, :]).float()
    pos = y.sum(1, keepdim=True)
    q = (1 - eps) * y / pos + eps * (1 - y) / (len(labels) - pos).clamp_min(1)
    cos = img @ txt.t()
    i2t = F.log_softmax(scale * (cos + delta * (1 - y)), 1)
    t2i = F.log_softmax(scale * (cos.t() + delta * (1 - y)), 1)
    return 0.5 * (-(q * i2t).sum(1).mean() - (q * t2i).sum(1).mean())


def main():
    a, device = parse_bench_options(default_steps=5)
    model = Clip(*ARCHS[a.arch]).train().to(device)
    adapters = [m for m in model.modules() if isinstance(m, Adapter)]
    params = [q for m in adapters for q in m.parameters()]
    for q in model.parameters():
        q.requires_grad_(False)
    for q in params:
        q.requires_grad_(True)
    ema = [q.detach().clone() for q in params]
    opt = torch.optim.AdamW(params, lr=5e-4, weight_decay=0)
    res = ARCHS[a.arch][4]
    images = torch.randn(a.batch, 3, res, res, device=device)
    tokens = torch.randint(1, 49000, (a.batch, 77), device=device)
    tokens[:, 20] = 49407
    labels = torch.randint(0, 4, (a.batch,), device=device)

    def step():
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=a.precision == "bf16"):
            img = F.normalize(model.encode_image(images).float(), dim=1)
            txt = F.normalize(model.encode_text(tokens).float(), dim=1)
            loss = mpm_nce(img, txt, labels)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        with torch.no_grad():
            for e, q in zip(ema, params):
                e.mul_(0.999).add_(q, alpha=0.001)

    for _ in range(a.warmup):
        step()
    synchronize(device)
    start = time.perf_counter()
    for _ in range(a.steps):
        step()
    synchronize(device)
    seconds = time.perf_counter() - start
    print(json.dumps({"arch": a.arch, "batch": a.batch, "steps": a.steps, "precision": a.precision,
                      "device": str(device), "threads": torch.get_num_threads(),
                      "train_img_per_s": a.batch * a.steps / seconds,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Eager-PyTorch peer for `radapter bench`: the same CLIP ViT image tower, written the way OpenAI's
reference code builds it (sequence-first nn.MultiheadAttention, QuickGELU, pre-LN blocks), timed
the same way (random weights, random batch, warm-up, then timed steps). Prints one JSON line.

    /usr/bin/python3 bench/eager_clip.py --arch ViT-B/32 --batch 16 --steps 10 --threads 2 [--precision bf16]
        [--device cuda]

bf16 uses PyTorch's own autocast (CPU or CUDA), the eager way to get bfloat16.
"""
import argparse, json, time
import torch
from torch import nn

ARCHS = {  # width, layers, heads, patch, resolution, embed
    "ViT-B/32": (768, 12, 12, 32, 224, 512),
    "ViT-B/16": (768, 12, 12, 16, 224, 512),
    "ViT-L/14": (1024, 24, 16, 14, 224, 768),
    "glyph-tiny": (128, 6, 2, 4, 32, 96),  # the demo model (resources/models/MODEL_CARD.md)
}


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class Block(nn.Module):
    """A pre-LN residual block. ADAPTER (a module factory taking the width), when given, wraps the
    attention and MLP outputs as R-Adapter does; CAUSAL_LEN makes the attention causal (text)."""

    def __init__(self, d, heads, causal_len=None, adapter=None):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads)
        self.ln_1 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), QuickGELU(), nn.Linear(4 * d, d))
        self.ln_2 = nn.LayerNorm(d)
        self.adapter_attn = adapter(d) if adapter else nn.Identity()
        self.adapter_mlp = adapter(d) if adapter else nn.Identity()
        mask = None if causal_len is None else torch.full((causal_len, causal_len), float("-inf")).triu_(1)
        self.register_buffer("mask", mask, persistent=False)

    def forward(self, x):
        h = self.ln_1(x)
        x = x + self.adapter_attn(self.attn(h, h, h, need_weights=False, attn_mask=self.mask)[0])
        return x + self.adapter_mlp(self.mlp(self.ln_2(x)))


class VisionTransformer(nn.Module):
    def __init__(self, width, layers, heads, patch, resolution, embed, adapter=None):
        super().__init__()
        scale = width ** -0.5
        self.conv1 = nn.Conv2d(3, width, patch, patch, bias=False)
        self.class_embedding = nn.Parameter(scale * torch.randn(width))
        self.positional_embedding = nn.Parameter(scale * torch.randn((resolution // patch) ** 2 + 1, width))
        self.ln_pre = nn.LayerNorm(width)
        self.blocks = nn.Sequential(*[Block(width, heads, adapter=adapter) for _ in range(layers)])
        self.ln_post = nn.LayerNorm(width)
        self.proj = nn.Parameter(scale * torch.randn(width, embed))

    def forward(self, x):
        x = self.conv1(x).flatten(2).permute(0, 2, 1)
        cls = self.class_embedding + torch.zeros(x.shape[0], 1, x.shape[-1], dtype=x.dtype, device=x.device)
        x = torch.cat([cls, x], dim=1) + self.positional_embedding
        x = self.ln_pre(x).permute(1, 0, 2)
        x = self.blocks(x).permute(1, 0, 2)
        return self.ln_post(x[:, 0, :]) @ self.proj


def synchronize(device):
    """A GPU runs asynchronously: the timer must wait for the queued work."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def parse_bench_options(default_steps):
    """The options both eager peers take, as `radapter bench` names them; sets torch's thread
    count and seed, and returns the options and the device."""
    p = argparse.ArgumentParser()
    p.add_argument("--arch", default="ViT-B/32")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--steps", type=int, default=default_steps)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--precision", default="fp32", choices=["fp32", "bf16"])
    p.add_argument("--device", default="cpu")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    return a, torch.device(a.device)


def main():
    a, device = parse_bench_options(default_steps=10)
    width, layers, heads, patch, res, embed = ARCHS[a.arch]
    model = VisionTransformer(width, layers, heads, patch, res, embed).eval().to(device)
    images = torch.randn(a.batch, 3, res, res, device=device)
    with torch.inference_mode(), torch.autocast(device.type, dtype=torch.bfloat16, enabled=a.precision == "bf16"):
        for _ in range(a.warmup):
            model(images)
        synchronize(device)
        start = time.perf_counter()
        for _ in range(a.steps):
            model(images)
        synchronize(device)
        seconds = time.perf_counter() - start
    print(json.dumps({"arch": a.arch, "batch": a.batch, "steps": a.steps, "precision": a.precision,
                      "device": str(device), "threads": torch.get_num_threads(),
                      "inference_img_per_s": a.batch * a.steps / seconds}))


if __name__ == "__main__":
    main()

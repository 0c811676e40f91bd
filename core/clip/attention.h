#pragma once
// Multi-head scaled dot-product attention, softmax(Q K^T / sqrt(hd) + mask) V, computed from the
// packed input projection [N, L, 3D] (Q, K, V side by side, heads inside each, as OpenAI's
// nn.MultiheadAttention lays them out) to the concatenated heads [N, L, D].
//
// Two kernels compute the same thing:
// - aten: the plain formulation (views, permutes, matmul, softmax). ATen's fp32 batched matmul
//   without MKL loops over the N*H tiny products one by one, each a separately dispatched and,
//   at CLIP's head size, multi-threaded BLAS call: on the demo model that loop, the permute
//   copies and the head concatenation were about a fifth of a forward pass.
// - blas: every head's two products are direct sgemm calls on strided views of the projection,
//   the heads split across the thread pool (each call then single-threaded), the output written
//   in place into [N, L, D]; each head's softmax runs right after its scores, in our vector loop
//   (clip/softmaxrows.h; ATen's softmax on the whole [N, H, L, L] block on a CPU below AVX2),
//   its gradient in ATen's. fp32 on CPU only, and only where the BLAS that libtorch loaded
//   exposes sgemm_.
// Which one runs is measured per machine and shape class (platform/kernelselect.h), the blas
// kernel's output checked against aten's first; RADAPTER_ATTENTION_KERNEL=aten|blas forces one.
// On a GPU under libtorch 2 or later, aten is the fused scaled_dot_product_attention.
#include <torch/types.h>

namespace ra {

enum class AttentionKernel { Aten, Blas };

// Whether the blas kernel can run in this process (libtorch's BLAS exports sgemm_).
bool blasAttentionAvailable();

const char* attentionKernelName(AttentionKernel k); // "aten", "blas"

// The kernel for fp32 attention over SLICES = N * heads heads of length L and size HD.
AttentionKernel attentionKernelFor(int64_t slices, int64_t l, int64_t hd);

// QKV [N, L, 3D] fp32 or bf16, MASK [L, L] additive or undefined; differentiable w.r.t. QKV.
torch::Tensor attentionAten(const torch::Tensor& qkv, int64_t heads, const torch::Tensor& mask);
// The same for contiguous fp32 CPU QKV; throws ra::Error when blasAttentionAvailable() is false.
torch::Tensor attentionBlas(const torch::Tensor& qkv, int64_t heads, const torch::Tensor& mask);

// Attention for one query position per sample, ROWS [N] int64 (every position still a key and a
// value): [N, 1, D], differentiable w.r.t. QKV. N x H dot products of length L, as broadcast
// products and sums, with the same result as the full attention at ROWS.
torch::Tensor attentionAtRows(const torch::Tensor& qkv, int64_t heads, const torch::Tensor& mask,
                              const torch::Tensor& rows);

} // namespace ra

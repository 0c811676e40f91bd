#include "clip/attention.h"

#include "clip/softmaxrows.h"
#include "platform/kernelselect.h"
#include "platform/kerneltiming.h"
#include "util/error.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>
#include <torch/version.h>

#include <cmath>
#include <cstdlib>
#include <dlfcn.h>

namespace ra {
namespace {

// The Fortran BLAS entry point of the library libtorch itself loaded (OpenBLAS on Debian).
using Sgemm = void (*)(const char*, const char*, const int*, const int*, const int*, const float*, const float*,
                       const int*, const float*, const int*, const float*, float*, const int*);

Sgemm sgemm()
{
    static const Sgemm f = reinterpret_cast<Sgemm>(dlsym(RTLD_DEFAULT, "sgemm_"));
    return f;
}

// Row-major C[m x n] = alpha op(A) op(B) + beta C, each matrix stored row-major with its own
// leading dimension. Column-major BLAS sees the same memory as C^T = op(B)^T op(A)^T.
void gemm(bool transA, bool transB, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb,
          float beta, float* c, int ldc)
{
    const char ta = transA ? 'T' : 'N', tb = transB ? 'T' : 'N';
    sgemm()(&tb, &ta, &n, &m, &k, &alpha, b, &ldb, a, &lda, &beta, c, &ldc);
}

struct Shape {
    int64_t n, l, d, heads, hd;
    explicit Shape(const torch::Tensor& qkv, int64_t h)
        : n(qkv.size(0)), l(qkv.size(1)), d(qkv.size(2) / 3), heads(h), hd(qkv.size(2) / 3 / h)
    {}
    int64_t slices() const { return n * heads; }
    // Offset of head H's Q block of sample N in the packed projection (K at +d, V at +2d).
    int64_t qOffset(int64_t slice) const { return (slice / heads) * l * 3 * d + (slice % heads) * hd; }
    int64_t outOffset(int64_t slice) const { return (slice / heads) * l * d + (slice % heads) * hd; }
};

// Every head's work on the thread pool; inside it OpenBLAS runs each product single-threaded.
template <typename Body>
void forEachSlice(const Shape& s, const Body& body)
{
    at::parallel_for(0, s.slices(), 1, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) body(i);
    });
}

// Returns the output and the attention probabilities P [N, H, L, L].
std::pair<torch::Tensor, torch::Tensor> blasForward(const torch::Tensor& qkv, int64_t heads, const torch::Tensor& mask)
{
    const Shape s(qkv, heads);
    const int l = int(s.l), hd = int(s.hd), ld = int(3 * s.d);
    const float scale = float(1.0 / std::sqrt(double(s.hd)));
    // With a mask the scores start as the mask and the product is added to it (beta 1).
    auto scores = mask.defined() ? mask.to(torch::kFloat32).expand({s.n, heads, s.l, s.l}).contiguous()
                                 : torch::empty({s.n, heads, s.l, s.l});
    const float beta = mask.defined() ? 1.f : 0.f;
    const float* x = qkv.data_ptr<float>();
    float* sc = scores.data_ptr<float>();
    auto out = torch::empty({s.n, s.l, s.d});
    float* o = out.data_ptr<float>();
    const auto scoresOf = [&](int64_t i) {
        const float* q = x + s.qOffset(i);
        gemm(false, true, l, l, hd, scale, q, ld, q + s.d, ld, beta, sc + i * l * l, l);
    };
    const auto timesValues = [&](int64_t i, const float* p) {
        const float* v = x + s.qOffset(i) + 2 * s.d;
        gemm(false, false, l, hd, l, 1.f, p + i * l * l, l, v, ld, 0.f, o + s.outOffset(i), int(s.d));
    };
    if (softmaxRowsKernelName()) {
        // One task a head: its scores, their softmax while they are still in L1, the product with V.
        forEachSlice(s, [&](int64_t i) {
            scoresOf(i);
            softmaxRowsInPlace(sc + i * l * l, l, l);
            timesValues(i, sc);
        });
        return {out, scores};
    }
    forEachSlice(s, scoresOf);
    auto p = torch::softmax(scores, -1);
    const float* pp = p.data_ptr<float>();
    forEachSlice(s, [&](int64_t i) { timesValues(i, pp); });
    return {out, p};
}

torch::Tensor blasBackward(const torch::Tensor& gradOut, const torch::Tensor& qkv, const torch::Tensor& p,
                           int64_t heads)
{
    const Shape s(qkv, heads);
    const int l = int(s.l), hd = int(s.hd), ld = int(3 * s.d), ldo = int(s.d);
    const float scale = float(1.0 / std::sqrt(double(s.hd)));
    const auto g = gradOut.contiguous();
    auto gradQkv = torch::empty_like(qkv); // every element is written by one of the products below
    auto gradP = torch::empty_like(p);
    const float* x = qkv.data_ptr<float>();
    const float* pp = p.data_ptr<float>();
    const float* go = g.data_ptr<float>();
    float* gx = gradQkv.data_ptr<float>();
    float* gp = gradP.data_ptr<float>();
    forEachSlice(s, [&](int64_t i) {
        const int64_t qo = s.qOffset(i);
        const float* dO = go + s.outOffset(i);
        gemm(false, true, l, l, hd, 1.f, dO, ldo, x + qo + 2 * s.d, ld, 0.f, gp + i * l * l, l);  // dP = dO V^T
        gemm(true, false, l, hd, l, 1.f, pp + i * l * l, l, dO, ldo, 0.f, gx + qo + 2 * s.d, ld); // dV = P^T dO
    });
    const auto gradScores = torch::_softmax_backward_data(gradP, p, -1, torch::kFloat32);
    const float* gs = gradScores.data_ptr<float>();
    forEachSlice(s, [&](int64_t i) {
        const int64_t qo = s.qOffset(i);
        gemm(false, false, l, hd, l, scale, gs + i * l * l, l, x + qo + s.d, ld, 0.f, gx + qo, ld); // dQ = s dS K
        gemm(true, false, l, hd, l, scale, gs + i * l * l, l, x + qo, ld, 0.f, gx + qo + s.d, ld);  // dK = s dS^T Q
    });
    return gradQkv;
}

struct BlasAttentionFunction : public torch::autograd::Function<BlasAttentionFunction> {
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& qkv, int64_t heads,
                                 const torch::Tensor& mask)
    {
        auto [out, p] = blasForward(qkv, heads, mask.numel() ? mask : torch::Tensor());
        ctx->save_for_backward({qkv});
        ctx->saved_data["p"] = p;
        ctx->saved_data["heads"] = heads;
        return out;
    }
    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                   torch::autograd::variable_list grads)
    {
        const auto qkv = ctx->get_saved_variables()[0];
        const auto p = ctx->saved_data["p"].toTensor();
        return {blasBackward(grads[0], qkv, p, ctx->saved_data["heads"].toInt()), torch::Tensor(), torch::Tensor()};
    }
};

KernelChoice calibrate(int64_t slices, int64_t l, int64_t hd)
{
    // A private generator, so calibrating never moves the one that seeds training; one head per
    // sample, which is the same work as SLICES heads in fewer samples.
    auto gen = at::make_generator<at::CPUGeneratorImpl>(20241201);
    c10::InferenceMode inference;
    const auto qkv = at::randn({sizeBucket(slices), l, 3 * hd}, gen, torch::kFloat32);
    const auto reference = attentionAten(qkv, 1, {});
    KernelChoice choice;
    choice.ms["aten"] = timeKernelCandidate([&] { return attentionAten(qkv, 1, {}); }, reference, 1e-4);
    choice.ms["blas"] = timeKernelCandidate([&] { return attentionBlas(qkv, 1, {}); }, reference, 1e-4);
    const double blas = choice.ms["blas"], aten = choice.ms["aten"];
    choice.kernel = blas >= 0 && (aten < 0 || blas < aten) ? "blas" : "aten";
    return choice;
}

} // namespace

const char* attentionKernelName(AttentionKernel k) { return k == AttentionKernel::Blas ? "blas" : "aten"; }

AttentionKernel attentionKernelFor(int64_t slices, int64_t l, int64_t hd)
{
    static const std::string forced = [] {
        const char* v = std::getenv("RADAPTER_ATTENTION_KERNEL");
        return v && std::string(v) != "measure" ? std::string(v) : std::string();
    }();
    if (!blasAttentionAvailable() || forced == "aten") return AttentionKernel::Aten;
    if (forced == "blas") return AttentionKernel::Blas;
    // Lengths in classes of 16: the text tower stops at each batch's last end-of-text token, so
    // its length varies from batch to batch, and each class is measured once, at its upper end.
    const int64_t length = (l + 15) / 16 * 16;
    const std::string key = "attention fp32 s" + std::to_string(sizeBucket(slices)) + " l" + std::to_string(length) +
        " hd" + std::to_string(hd) + " t" + std::to_string(at::get_num_threads());
    return chosenKernel(key, [&] { return calibrate(slices, length, hd); }) == "blas" ? AttentionKernel::Blas
                                                                                      : AttentionKernel::Aten;
}

bool blasAttentionAvailable() { return sgemm() != nullptr; }

torch::Tensor attentionAten(const torch::Tensor& qkv, int64_t heads, const torch::Tensor& mask)
{
    const int64_t n = qkv.size(0), l = qkv.size(1), d = qkv.size(2) / 3, hd = d / heads;
    // [N, L, 3D] -> [3, N, H, L, hd]
    auto split = qkv.view({n, l, 3, heads, hd}).permute({2, 0, 3, 1, 4});
#if TORCH_VERSION_MAJOR >= 2
    // On a GPU, libtorch 2's fused attention (flash or memory-efficient kernels, the same one
    // eager PyTorch's nn.MultiheadAttention calls): without it bf16 ran at 0.74x of eager on an
    // H200. It scales by 1/sqrt(hd) itself. The CPU keeps the measured choice above.
    if (!qkv.device().is_cpu()) {
        const auto out = mask.defined()
            ? at::scaled_dot_product_attention(split[0], split[1], split[2], mask.to(qkv.scalar_type()), 0.0, false)
            : at::scaled_dot_product_attention(split[0], split[1], split[2], {}, 0.0, false);
        return out.transpose(1, 2).reshape({n, l, d});
    }
#endif
    auto q = split[0] * (1.0 / std::sqrt(static_cast<double>(hd)));
    auto scores = torch::matmul(q, split[1].transpose(-2, -1));
    if (mask.defined()) scores = scores + mask;
    auto out = torch::matmul(torch::softmax(scores, -1), split[2]); // [N, H, L, hd]
    return out.transpose(1, 2).reshape({n, l, d});
}

torch::Tensor attentionBlas(const torch::Tensor& qkv, int64_t heads, const torch::Tensor& mask)
{
    if (!blasAttentionAvailable()) throw Error("attention: this libtorch's BLAS has no sgemm_ to call.");
    TORCH_CHECK(qkv.scalar_type() == torch::kFloat32 && qkv.device().is_cpu(), "attentionBlas: fp32 CPU input only");
    const auto x = qkv.contiguous();
    // autograd's apply cannot take an undefined tensor: no mask travels as an empty one.
    if (x.requires_grad() && torch::GradMode::is_enabled())
        return BlasAttentionFunction::apply(x, heads, mask.defined() ? mask : torch::empty({0}));
    return blasForward(x, heads, mask).first;
}

torch::Tensor attentionAtRows(const torch::Tensor& qkv, int64_t heads, const torch::Tensor& mask,
                              const torch::Tensor& rows)
{
    const int64_t n = qkv.size(0), l = qkv.size(1), d = qkv.size(2) / 3, hd = d / heads;
    const auto split = qkv.view({n, l, 3, heads, hd});
    const auto q = split.index({torch::arange(n, rows.options()), rows, 0}).unsqueeze(1);        // [N, 1, H, hd]
    auto scores = (q * split.select(2, 1)).sum(-1) * (1.0 / std::sqrt(static_cast<double>(hd))); // [N, L, H]
    if (mask.defined()) scores = scores + mask.index_select(0, rows).unsqueeze(-1).to(scores.device());
    const auto p = torch::softmax(scores, 1);
    return (p.unsqueeze(-1) * split.select(2, 2)).sum(1).reshape({n, 1, d});
}

} // namespace ra

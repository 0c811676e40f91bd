#pragma once
// QuickGELU, y = x * sigmoid(1.702 x), and its gradient, each in one pass over memory.
//
// ATen computes the activation as three operators (a scaled copy, sigmoid, a product) and its
// gradient as two, each a full pass over the block's largest activation ([tokens, 4 * width]),
// which does not fit in cache: on the demo model those passes were a large share of every
// forward and backward. Here each is one loop with a vectorised exp (AVX2+FMA or AVX-512,
// whichever the CPU has, as platform/cpufeatures.h reports it, so RADAPTER_CPU_ISA=avx2 takes the
// AVX2 loop), split across libtorch's thread pool. Tensors the loops do not handle (not
// contiguous fp32 on the CPU, or a CPU below AVX2) take ATen's operators, which compute the same
// function; the results agree to a few units in the last place (tst_platform).
#include <torch/types.h>

namespace ra {

// Which loop quickGelu* use on this machine: "avx512", "avx2" or "aten".
const char* quickGeluKernelName();

// Overwrites X with QuickGELU(X) (inference: no temporary at all).
void quickGeluInPlace(torch::Tensor& x);
// QuickGELU(X) as a new tensor; not differentiable by itself (clipmodel.cpp wraps it).
torch::Tensor quickGeluForward(const torch::Tensor& x);
// GRAD * d/dx QuickGELU(X) = GRAD * s (1 + 1.702 x (1 - s)) with s = sigmoid(1.702 x).
torch::Tensor quickGeluBackward(const torch::Tensor& grad, const torch::Tensor& x);

} // namespace ra

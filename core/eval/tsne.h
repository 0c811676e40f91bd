#pragma once
// t-SNE (van der Maaten and Hinton, "Visualizing Data using t-SNE", JMLR 2008), exact: the
// embedding map's second projection beside PCA, as TensorBoard's Embedding Projector offers both.
// PCA keeps distances (a cluster's move between two alphas is its embeddings' move) but a plane
// through 512 dimensions overlays clusters that are apart; t-SNE keeps each point's neighbours, so
// whether the classes stay apart shows, while the distances between clusters mean little. Exact
// gradients over every pair: for the few hundred points a map shows, well under a second. Torch-free
// API; the arithmetic is libtorch's.
#include "util/matrix.h"

#include <functional>

namespace ra {

struct TsneOptions {
    double perplexity = 30;           // the effective number of neighbours each point keeps
    int iterations = 750;             // gradient steps in all
    int exaggerationIterations = 250; // the first ones, with P multiplied by exaggeration
    double exaggeration = 12;
};

struct TsneResult {
    FloatMatrix points;        // [rows, 2]
    double klDivergence = 0;   // KL(P || Q) at the end: how much of the neighbourhoods the plane lost
    double perplexityUsed = 0; // the options' perplexity, lowered for few points (at most (rows - 1) / 3)
};

// The joint affinities P of ROWS ([n, n], symmetric, summing to 1, zero diagonal): each row's
// Gaussian over the others with its own width, found by bisection so that its perplexity (2 to
// the entropy in bits) is PERPLEXITY, then symmetrised (p_ij = (p_j|i + p_i|j) / 2n).
FloatMatrix tsneAffinities(const FloatMatrix& rows, double perplexity);

// The gradient of KL(P || Q) at the layout Y ([n, 2]) for joint affinities P ([n, n]), Q the
// Student-t (one degree of freedom) similarities of Y: 4 sum_j (p_ij - q_ij)(y_i - y_j)/(1 + |y_i - y_j|^2).
FloatMatrix tsneGradient(const FloatMatrix& p, const FloatMatrix& y);

// The t-SNE layout of ROWS ([n, d], n >= 4), starting from INIT ([n, 2]: a PCA plane, so that two
// maps of related data start aligned; rescaled to a standard deviation of 1e-4 along its first
// column), by gradient descent with momentum (0.5, then 0.8 after the exaggeration) and per-
// coordinate gains, the learning rate max(n / exaggeration / 4, 50). Deterministic: no random
// start. STOPPED, asked between steps, ends it early with the layout so far.
TsneResult tsneEmbedding(const FloatMatrix& rows, const FloatMatrix& init, const TsneOptions& options = {},
                         const std::function<bool()>& stopped = {});

} // namespace ra

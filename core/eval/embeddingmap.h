#pragma once
// The embedding map: one evaluation set's image embeddings drawn on a plane, as TensorBoard's
// Embedding Projector draws them (PCA), so a user sees what training did to a set's features and
// not only to its accuracy. Torch-free API; the principal directions come from libtorch.
#include "util/matrix.h"

#include <vector>

namespace ra {

struct PlaneProjection {
    std::vector<FloatMatrix> points; // each matrix of FIT, then of ALSO, as [rows, 2]
    double explainedVariance = 0;    // the share of FIT's variance the plane shows, 0..1
};

// The two principal directions of every row of FIT together — one frame for all, so the maps
// of two alphas can be compared point by point — and each matrix of FIT, then of ALSO (class
// embeddings, say), projected onto them around FIT's mean. Each direction's sign is fixed (its
// largest component positive), so the same data always gives the same picture. Every matrix
// has the same number of columns; FIT holds two rows or more.
PlaneProjection projectOntoPrincipalPlane(const std::vector<const FloatMatrix*>& fit,
                                          const std::vector<const FloatMatrix*>& also = {});

// How well ROWS cluster by class, whatever a head does with them: the share of rows whose nearest
// class mean (Euclidean; the row's own class's mean taken without the row) is their own class's.
// A row whose class has no other member is not counted; 0 when no row is.
double nearestClassMeanAccuracy(const FloatMatrix& rows, const std::vector<int>& labels);

// For each row of FROM, the row of TO most similar to it (the largest dot product: cosine for
// normalised rows; the first of equals) — which caption an image retrieves among those shown.
std::vector<int64_t> nearestRows(const FloatMatrix& from, const FloatMatrix& to);

} // namespace ra

// Gram matrices: the style statistics of Gatys, Ecker and Bethge (CVPR 2016).
//   f (N,C,H,W) -> g (N,1,C,C),  g[n,i,j] = sum_p f[n,i,p] f[n,j,p] / (C*H*W)
// (p runs over the H*W positions). Dividing by C*H*W, as Johnson et al.
// (2016) do, makes the entries independent of the image size: a style image
// of any size gives targets for a content image of any size, and the same
// style weights work at 128 px and at 512 px.
#pragma once
#include "core/tensor.h"

namespace cnn {

void gram_matrix(const Tensor& f, Tensor& g);

// dg (N,1,C,C) -> df (N,C,H,W), written:
//   df = (dg + dg^T) f / (C*H*W)   (g is quadratic in f, so both factors get a term)
void gram_matrix_backward(const Tensor& f, const Tensor& dg, Tensor& df);

}  // namespace cnn

// The losses of Gatys-style transfer, each a forward function returning the
// value and a backward function writing the gradient. Weights are applied by
// the caller (StyleTransfer), so each loss here is unweighted.
//
// Reductions are chosen so that the same weights work at any image size:
//   content  L = 0.5 * mean((f - p)^2)          over all N*C*H*W elements
//            (Gatys et al. use 0.5 * sum; the mean only rescales it by 1/size)
//   style    L = sum_ij (G_ij - A_ij)^2         G = gram_matrix(f), A the target Gram
//            (G is already normalised by C*H*W, see gram.h)
//   TV       L = mean over N*C*H*W of the squared neighbour differences
//            sum (x[i,j+1] - x[i,j])^2 + (x[i+1,j] - x[i,j])^2
//            (the smooth, squared form: differentiable everywhere)
#pragma once
#include "core/tensor.h"

namespace cnn {

// f, p (N,C,H,W) -> scalar.
float content_loss(const Tensor& f, const Tensor& p);
// df = (f - p) / size, written.
void content_loss_backward(const Tensor& f, const Tensor& p, Tensor& df);

// f (N,C,H,W), target (N,1,C,C) -> scalar. Leaves gram_matrix(f) in `gram`
// for the backward pass.
float style_loss(const Tensor& f, const Tensor& target, Tensor& gram);
// df = gram_matrix_backward(f, 2 (gram - target)), written.
void style_loss_backward(const Tensor& f, const Tensor& gram, const Tensor& target, Tensor& df);

// x (N,C,H,W) -> scalar.
float tv_loss(const Tensor& x);
// dx written.
void tv_loss_backward(const Tensor& x, Tensor& dx);

}  // namespace cnn

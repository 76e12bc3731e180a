// Activation smoothing for style transfer ("SWAG", Wang, Li and Vasconcelos,
// CVPR 2021): a softmax of the activations before the Gram matrix (and the
// content comparison). Networks whose feature maps have low entropy (peaky,
// e.g. ResNets, or random weights) stylise poorly; the softmax spreads each
// channel over the image and so raises that entropy.
//
// Here the softmax runs over the H*W positions of each channel, with a
// temperature T (larger T = flatter, T -> 0 = hard max):
//   x (N,C,H,W) -> y (N,C,H,W),  y[n,c,p] = exp(x[n,c,p]/T) / sum_q exp(x[n,c,q]/T)
// Each channel of y sums to 1, so its entries are about 1/(H*W); callers that
// mix it with unsmoothed losses may rescale (StyleTransfer multiplies by H*W).
#pragma once
#include "core/tensor.h"

namespace cnn {

void spatial_softmax(const Tensor& x, float temperature, Tensor& y);

// dy -> dx (written), from the forward output y:
//   dx[p] = y[p] (dy[p] - sum_q dy[q] y[q]) / T
void spatial_softmax_backward(const Tensor& y, const Tensor& dy, float temperature, Tensor& dx);

}  // namespace cnn

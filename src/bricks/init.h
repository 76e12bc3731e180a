// Weight initialisers, by the names Keras uses.
//
//   "uniform"         U[-s, s]                   s = init_scale (default 0.05)
//   "normal"          N(0, s^2)                  s = init_scale (default 0.05)
//   "glorot_uniform"  U[-b, b]   b = sqrt(6 / (fan_in + fan_out))
//   "glorot_normal"   N(0, s^2)  s = sqrt(2 / (fan_in + fan_out))
//   "he_uniform"      U[-b, b]   b = sqrt(6 / fan_in)
//   "he_normal"       N(0, s^2)  s = sqrt(2 / fan_in)
//
// Fans of a conv weight (K, C, kh, kw): fan_in = C*kh*kw (inputs feeding one
// output), fan_out = K*kh*kw (outputs one input feeds); of a dense weight
// (units, in, 1, 1): fan_in = in, fan_out = units.
// The normal variants are plain (not truncated) normals, as PyTorch's
// kaiming_normal_/xavier_normal_; Keras truncates at 2 sigma and rescales.
// Biases are not initialised here: they start at 0, as in Keras.
#pragma once
#include <string>
#include <vector>

#include "core/rng.h"
#include "core/tensor.h"

namespace cnn {

struct Fans {
  int in = 1, out = 1;
};

// Fans of a weight tensor stored (out, in, kh, kw), conv or dense alike.
Fans weight_fans(const Shape& weight);

const std::vector<std::string>& init_names();

// Throws cnn::Error listing the valid names if name is not one of them;
// owner ("conv2d") prefixes the message.
void check_init_name(const std::string& name, const std::string& owner);

// Fills w with random values from the named initialiser.
void init_weights(Tensor& w, const std::string& name, Fans fans, float init_scale, Rng& rng);

}  // namespace cnn

// The scalar reference kernels: plain loops, no tricks. They are the source of
// truth every SIMD variant is tested against, and the fallback table. The
// SIMD tables reuse entries from here where a vector version would not pay
// (e.g. pooling, which is memory-bound and small next to convolution).
#pragma once
#include "kernels/kernels.h"

namespace cnn::kernels {

void f32_gemm__scalar(bool trans_a, bool trans_b, int m, int n, int k, const float* a, int lda,
                      const float* b, int ldb, float* c, int ldc, bool accumulate);

void f32_conv2d_forward__scalar(const ConvShape& s, const float* x, const float* weights,
                                const float* bias, float* y, Workspace& ws);
void f32_conv2d_backward_input__scalar(const ConvShape& s, const float* dy, const float* weights,
                                       float* dx, Workspace& ws);
void f32_conv2d_backward_weights__scalar(const ConvShape& s, const float* x, const float* dy,
                                         float* dweights, float* dbias, Workspace& ws);

void f32_maxpool2d_forward__scalar(const PoolShape& s, const float* x, float* y, int32_t* argmax);
void f32_maxpool2d_backward__scalar(const PoolShape& s, const float* dy, const int32_t* argmax,
                                    float* dx);
void f32_avgpool2d_forward__scalar(const PoolShape& s, const float* x, float* y);
void f32_avgpool2d_backward__scalar(const PoolShape& s, const float* dy, float* dx);

void f32_relu_forward__scalar(size_t n, const float* x, float* y);
void f32_relu_backward__scalar(size_t n, const float* x, const float* dy, float* dx);

}  // namespace cnn::kernels

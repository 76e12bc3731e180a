// C (m x n) = op(A) (m x k) * op(B) (k x n) [+ C], the textbook triple loop.
#include "kernels/scalar/scalar.h"

namespace cnn::kernels {

void f32_gemm__scalar(bool trans_a, bool trans_b, int m, int n, int k, const float* a, int lda,
                      const float* b, int ldb, float* c, int ldc, bool accumulate) {
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < n; ++j) {
      float sum = 0.f;
      for (int p = 0; p < k; ++p) {
        const float av = trans_a ? a[size_t(p) * lda + i] : a[size_t(i) * lda + p];
        const float bv = trans_b ? b[size_t(j) * ldb + p] : b[size_t(p) * ldb + j];
        sum += av * bv;
      }
      float& out = c[size_t(i) * ldc + j];
      // Written, not added to, when !accumulate: C may hold garbage (even NaN).
      out = accumulate ? out + sum : sum;
    }
  }
}

}  // namespace cnn::kernels

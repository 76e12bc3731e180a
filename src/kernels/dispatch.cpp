// The one place that picks an instruction set. Each variant contributes a
// complete KernelTable; active() settles on the widest one the machine runs,
// once, unless select_kernels() chose otherwise. Native builds check the CPU
// at run time; the WebAssembly build has SIMD128 compiled in. Deterministic
// mode (set_deterministic) pins the scalar table, the same code in every build.
#include <atomic>
#include <cstring>

#include "kernels/kernels.h"
#include "kernels/scalar/scalar.h"
#ifdef __EMSCRIPTEN__
#include "kernels/wasm_simd128/wasm_simd128.h"
#elif defined(__x86_64__)
#include "kernels/x86/x86.h"
#endif

namespace cnn::kernels {

const KernelTable& scalar_kernels() {
  static const KernelTable table = {
      "scalar",
      f32_gemm__scalar,
      f32_conv2d_forward__scalar,
      f32_conv2d_backward_input__scalar,
      f32_conv2d_backward_weights__scalar,
      f32_maxpool2d_forward__scalar,
      f32_maxpool2d_backward__scalar,
      f32_avgpool2d_forward__scalar,
      f32_avgpool2d_backward__scalar,
      f32_relu_forward__scalar,
      f32_relu_backward__scalar,
  };
  return table;
}

std::vector<const KernelTable*> available_kernels() {
  std::vector<const KernelTable*> tables = {&scalar_kernels()};  // narrowest first
#ifdef __EMSCRIPTEN__
  tables.push_back(&wasm_simd128_kernels());
#elif defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    tables.push_back(&avx2_kernels());
  if (__builtin_cpu_supports("avx512f")) tables.push_back(&avx512_kernels());
#endif
  return tables;
}

namespace {
std::atomic<const KernelTable*> g_active{nullptr};
std::atomic<const KernelTable*> g_before_deterministic{nullptr};  // non-null: deterministic mode
}  // namespace

const KernelTable& active() {
  const KernelTable* table = g_active.load(std::memory_order_acquire);
  if (!table) {
    table = available_kernels().back();
    g_active.store(table, std::memory_order_release);
  }
  return *table;
}

bool select_kernels(const char* name) {
  if (deterministic()) return std::strcmp(name, "scalar") == 0;
  for (const KernelTable* table : available_kernels()) {
    if (std::strcmp(table->name, name) == 0) {
      g_active.store(table, std::memory_order_release);
      return true;
    }
  }
  return false;
}

void set_deterministic(bool on) {
  if (on == deterministic()) return;
  if (on) {
    g_before_deterministic.store(&active(), std::memory_order_release);
    g_active.store(&scalar_kernels(), std::memory_order_release);
  } else {
    g_active.store(g_before_deterministic.exchange(nullptr), std::memory_order_release);
  }
}

bool deterministic() {
  return g_before_deterministic.load(std::memory_order_acquire) != nullptr;
}

}  // namespace cnn::kernels

# The kernel layer: scalar reference kernels everywhere, plus the SIMD
# variants of the toolchain at hand. Only the SIMD files get ISA flags, so the
# rest of the engine runs on any CPU of the target.
target_sources(cnn_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/dispatch.cpp
  ${CMAKE_CURRENT_LIST_DIR}/threads.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scalar/gemm.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scalar/conv2d.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scalar/pool2d.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scalar/elementwise.cpp
)
if(CNN_WASM)
  set(cnn_simd128_sources
    ${CMAKE_CURRENT_LIST_DIR}/wasm_simd128/wasm_simd128.cpp
    ${CMAKE_CURRENT_LIST_DIR}/wasm_simd128/f32_gemm_4x8__wasm_simd128.cpp
  )
  target_sources(cnn_engine PRIVATE ${cnn_simd128_sources})
  set_source_files_properties(${cnn_simd128_sources} PROPERTIES COMPILE_OPTIONS "-msimd128")
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  set(cnn_avx2_sources
    ${CMAKE_CURRENT_LIST_DIR}/x86/avx2.cpp
    ${CMAKE_CURRENT_LIST_DIR}/x86/f32_gemm_6x16__avx2.cpp
  )
  set(cnn_avx512_sources
    ${CMAKE_CURRENT_LIST_DIR}/x86/avx512.cpp
    ${CMAKE_CURRENT_LIST_DIR}/x86/f32_gemm_8x32__avx512.cpp
  )
  target_sources(cnn_engine PRIVATE ${cnn_avx2_sources} ${cnn_avx512_sources})
  set_source_files_properties(${cnn_avx2_sources} PROPERTIES COMPILE_OPTIONS "-mavx2;-mfma")
  set_source_files_properties(${cnn_avx512_sources} PROPERTIES
    COMPILE_OPTIONS "-mavx512f;-mavx512vl;-mavx512bw;-mavx512dq;-mavx2;-mfma")
endif()

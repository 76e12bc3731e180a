cnn_add_test(test_core
  ${CMAKE_CURRENT_LIST_DIR}/tensor_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rng_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fmath_test.cpp
)

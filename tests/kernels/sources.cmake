cnn_add_test(test_kernels
  ${CMAKE_CURRENT_LIST_DIR}/scalar_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/variants_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/threads_test.cpp
)

cnn_add_test(test_perf
  ${CMAKE_CURRENT_LIST_DIR}/allocations_test.cpp
)

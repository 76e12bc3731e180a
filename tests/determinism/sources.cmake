cnn_add_test(test_determinism ${CMAKE_CURRENT_LIST_DIR}/determinism_test.cpp)

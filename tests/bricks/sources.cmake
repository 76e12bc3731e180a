cnn_add_test(test_bricks
  ${CMAKE_CURRENT_LIST_DIR}/activations_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/batch_norm_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/conv2d_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dense_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dropout_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/init_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pool_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/registry_test.cpp
)
# HasSubstr and EXPECT_THAT come from GoogleMock.
target_link_libraries(test_bricks PRIVATE gmock)

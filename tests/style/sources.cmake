cnn_add_test(test_style
  ${CMAKE_CURRENT_LIST_DIR}/gram_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/image_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/layer_weights_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/lbfgs_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/losses_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/style_transfer_test.cpp
)

cnn_add_test(test_pretrained
  ${CMAKE_CURRENT_LIST_DIR}/tfjs_layers_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/vgg_test.cpp
)

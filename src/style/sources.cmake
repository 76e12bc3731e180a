target_sources(cnn_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/gram.cpp
  ${CMAKE_CURRENT_LIST_DIR}/image.cpp
  ${CMAKE_CURRENT_LIST_DIR}/image_write_impl.cpp
  ${CMAKE_CURRENT_LIST_DIR}/layer_weights.cpp
  ${CMAKE_CURRENT_LIST_DIR}/losses.cpp
  ${CMAKE_CURRENT_LIST_DIR}/smoothing.cpp
  ${CMAKE_CURRENT_LIST_DIR}/style_transfer.cpp
)

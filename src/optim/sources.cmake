target_sources(cnn_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/lbfgs.cpp
  ${CMAKE_CURRENT_LIST_DIR}/optimizer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/schedule.cpp
)

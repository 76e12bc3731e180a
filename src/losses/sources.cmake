# Losses: one file per family, registered by name in registry.cpp.
target_sources(cnn_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/binary_crossentropy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/categorical_crossentropy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hinge.cpp
  ${CMAKE_CURRENT_LIST_DIR}/logistic.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mse.cpp
  ${CMAKE_CURRENT_LIST_DIR}/registry.cpp
  ${CMAKE_CURRENT_LIST_DIR}/targets.cpp
)

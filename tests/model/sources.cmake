cnn_add_test(test_model
  ${CMAKE_CURRENT_LIST_DIR}/batch_parts_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fit_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/graph_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/model_file_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/model_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/optimizer_test.cpp
)
# Saliency maps for the playground's "Inside the network" panel.
cnn_add_test(test_saliency ${CMAKE_CURRENT_LIST_DIR}/saliency_test.cpp)

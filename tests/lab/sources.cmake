# The playground's logic (src/lab), without a window: the drawing pad's
# MNIST-style normalisation, the training session, the evaluator, the
# "Inside the network" layouts, CIFAR-10 files as the user supplies them,
# the Data panel's augmentation reaching the batches, the style-transfer and
# transfer-learning jobs, the user's image classes and the embedded
# backbone's model-file checks. (The UI is tested end to end:
# tests/app/*.sh and tests/e2e/, run by scripts/test.sh.)
cnn_add_test(test_lab
  ${CMAKE_CURRENT_LIST_DIR}/background_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/data_files_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/digit_pad_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/image_classes_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/inside_view_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/session_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/style_job_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transfer_job_test.cpp
)
target_link_libraries(test_lab PRIVATE cnn_lab)

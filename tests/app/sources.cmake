# The playground's logic that needs no window: the drawing pad's MNIST-style
# normalisation, the training session and the chunked evaluator. (The UI is
# tested end to end: tests/app/desktop_smoke_test.sh and
# tests/e2e/playground.spec.js, run by scripts/test.sh.)
cnn_add_test(test_app
  ${CMAKE_CURRENT_LIST_DIR}/digit_pad_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/session_test.cpp
  ${CMAKE_SOURCE_DIR}/src/app/digit_pad.cpp
  ${CMAKE_SOURCE_DIR}/src/app/evaluator.cpp
  ${CMAKE_SOURCE_DIR}/src/app/session.cpp
)
# "Inside the network" (issue 4): the panel's layouts without GL, and the
# shaders built into the app (compiled for real by the end-to-end tests).
cnn_add_test(test_inside
  ${CMAKE_CURRENT_LIST_DIR}/inside_view_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/shader_source_test.cpp
  ${CMAKE_SOURCE_DIR}/src/app/inside_view.cpp
)
target_link_libraries(test_inside PRIVATE cnn_shaders)
# The playground's data side (issue 4): CIFAR-10 files as the user supplies
# them and the messages for bad ones; the Data panel's augmentation reaching
# the training batches. (The upload itself: tests/e2e/data_upload.spec.js.)
cnn_add_test(test_app_data
  ${CMAKE_CURRENT_LIST_DIR}/data_files_test.cpp
  ${CMAKE_SOURCE_DIR}/src/app/cifar_files.cpp
  ${CMAKE_SOURCE_DIR}/src/app/evaluator.cpp
  ${CMAKE_SOURCE_DIR}/src/app/live_augmentation.cpp
  ${CMAKE_SOURCE_DIR}/src/app/session.cpp
)

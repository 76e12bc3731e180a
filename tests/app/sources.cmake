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

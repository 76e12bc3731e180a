cnn_add_test(test_cli ${CMAKE_CURRENT_LIST_DIR}/cli_test.cpp)
target_link_libraries(test_cli PRIVATE cnn_cli)

# The real binary (cnn natively, node cnn.js in the WebAssembly build): exit
# codes and messages as a user sees them.
add_test(NAME cnn_unknown_option COMMAND cnn train --bogus)
set_tests_properties(cnn_unknown_option PROPERTIES WILL_FAIL TRUE)
add_test(NAME cnn_unknown_option_message COMMAND cnn train --bogus)
set_tests_properties(cnn_unknown_option_message PROPERTIES
  PASS_REGULAR_EXPRESSION "cnn train: error: unknown option --bogus")
add_test(NAME cnn_help COMMAND cnn train --help)
set_tests_properties(cnn_help PROPERTIES PASS_REGULAR_EXPRESSION "usage: cnn train")
add_test(NAME cnn_missing_model_file COMMAND cnn eval /nonexistent/model.safetensors)
set_tests_properties(cnn_missing_model_file PROPERTIES WILL_FAIL TRUE)

# cnn style / features / finetune, in-process (own file: cli_test.cpp is shared).
cnn_add_test(test_style_cli ${CMAKE_CURRENT_LIST_DIR}/style_cli_test.cpp)
target_link_libraries(test_style_cli PRIVATE cnn_cli)

# Deterministic mode's options (tests/determinism has the mode itself).
add_test(NAME cnn_train_negative_steps COMMAND cnn train --steps=-1)
set_tests_properties(cnn_train_negative_steps PROPERTIES
  PASS_REGULAR_EXPRESSION "cnn train: error: --steps must not be negative")
add_test(NAME cnn_train_deterministic_with_simd_kernels
  COMMAND cnn train --deterministic --kernels avx2)
set_tests_properties(cnn_train_deterministic_with_simd_kernels PROPERTIES
  PASS_REGULAR_EXPRESSION "cnn train: error: --deterministic runs the scalar kernels; drop --kernels avx2")

add_test(NAME cnn_style_missing_image COMMAND cnn style --content /nonexistent/c.png)
set_tests_properties(cnn_style_missing_image PROPERTIES
  PASS_REGULAR_EXPRESSION "cnn style: error: /nonexistent/c.png: not found")

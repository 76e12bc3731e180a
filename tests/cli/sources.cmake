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

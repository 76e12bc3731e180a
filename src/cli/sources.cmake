# The command line: `cnn` natively, `cnn.js` (run with node) in the WebAssembly build.
add_executable(cnn
  ${CMAKE_CURRENT_LIST_DIR}/main.cpp
  ${CMAKE_CURRENT_LIST_DIR}/args.cpp
  ${CMAKE_CURRENT_LIST_DIR}/datasets.cpp
  ${CMAKE_CURRENT_LIST_DIR}/eval_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/progress_bar.cpp
  ${CMAKE_CURRENT_LIST_DIR}/train_command.cpp
)
target_link_libraries(cnn PRIVATE cnn_engine cnn_warnings)
if(CNN_WASM)
  target_link_options(cnn PRIVATE ${CNN_NODE_LINK_OPTIONS})
endif()

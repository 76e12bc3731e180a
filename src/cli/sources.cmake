# The command line: a library (so tests can call the commands in-process) and
# `cnn` (natively) / `cnn.js` (WebAssembly, run with node).
add_library(cnn_cli STATIC
  ${CMAKE_CURRENT_LIST_DIR}/args.cpp
  ${CMAKE_CURRENT_LIST_DIR}/bench_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/datasets.cpp
  ${CMAKE_CURRENT_LIST_DIR}/eval_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/progress_bar.cpp
  ${CMAKE_CURRENT_LIST_DIR}/run.cpp
  ${CMAKE_CURRENT_LIST_DIR}/train_command.cpp
)
target_link_libraries(cnn_cli PUBLIC cnn_engine PRIVATE cnn_warnings)

add_executable(cnn ${CMAKE_CURRENT_LIST_DIR}/main.cpp)
target_link_libraries(cnn PRIVATE cnn_cli cnn_warnings)
if(CNN_WASM)
  target_link_options(cnn PRIVATE ${CNN_NODE_LINK_OPTIONS})
endif()

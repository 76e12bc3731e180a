# The shaders built into the app (compiled for real by the end-to-end
# tests). The app's logic is tested in tests/lab; its UI end to end
# (tests/app/*.sh, tests/e2e/).
cnn_add_test(test_app ${CMAKE_CURRENT_LIST_DIR}/shader_source_test.cpp)
target_link_libraries(test_app PRIVATE cnn_shaders)
# The playground's screen layout at every supported window size (no overlap,
# nothing outside the window) and its tolerant startup options.
cnn_add_test(test_layout
  ${CMAKE_CURRENT_LIST_DIR}/layout_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/app_options_test.cpp
  ${CMAKE_SOURCE_DIR}/src/app/app_options.cpp
  ${CMAKE_SOURCE_DIR}/src/app/layout.cpp
)
target_link_libraries(test_layout PRIVATE cnn_lab)
# The plots' axes: round tick steps, labels, data ranges, log scale.
cnn_add_test(test_plot_scale
  ${CMAKE_CURRENT_LIST_DIR}/plot_scale_test.cpp
  ${CMAKE_SOURCE_DIR}/src/app/plot_scale.cpp
)
# The plot widget itself, in a headless Dear ImGui context (natively, when the
# playground is built: it needs Dear ImGui's sources).
if(TARGET cnn_imgui AND NOT CNN_WASM)
  cnn_add_test(test_plot_widget
    ${CMAKE_CURRENT_LIST_DIR}/plot_widget_test.cpp
    ${CMAKE_SOURCE_DIR}/src/app/plot.cpp
    ${CMAKE_SOURCE_DIR}/src/app/plot_scale.cpp
  )
  target_link_libraries(test_plot_widget PRIVATE cnn_imgui)
endif()

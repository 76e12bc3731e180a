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
# The transfer panel's job (issue 5, point 3): fine-tuning and feature
# demos in pieces, bad setups, worker vs time slices, fine-tuned > scratch;
# the user's own image classes.
cnn_add_test(test_transfer_job
  ${CMAKE_CURRENT_LIST_DIR}/image_classes_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transfer_job_test.cpp
  ${CMAKE_SOURCE_DIR}/src/app/evaluator.cpp
  ${CMAKE_SOURCE_DIR}/src/app/image_classes.cpp
  ${CMAKE_SOURCE_DIR}/src/app/transfer_job.cpp
)
# The Style transfer panel's job (issue 5): time slices and worker thread,
# pause/reset, messages; the embedded backbone's model-file checks.
cnn_add_test(test_style_panel
  ${CMAKE_CURRENT_LIST_DIR}/style_job_test.cpp
  ${CMAKE_SOURCE_DIR}/src/app/style_job.cpp
  ${CMAKE_SOURCE_DIR}/src/app/backbone_model.cpp
  ${CMAKE_SOURCE_DIR}/src/app/model_io.cpp
)
# The playground's screen layout at every supported window size (no overlap,
# nothing outside the window) and its tolerant startup options.
cnn_add_test(test_layout
  ${CMAKE_CURRENT_LIST_DIR}/layout_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/app_options_test.cpp
  ${CMAKE_SOURCE_DIR}/src/app/app_options.cpp
  ${CMAKE_SOURCE_DIR}/src/app/evaluator.cpp
  ${CMAKE_SOURCE_DIR}/src/app/layout.cpp
  ${CMAKE_SOURCE_DIR}/src/app/session.cpp
)
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

# The shaders built into the app (compiled for real by the end-to-end
# tests). The app's logic is tested in tests/lab; its UI end to end
# (tests/app/*.sh, tests/e2e/).
cnn_add_test(test_app ${CMAKE_CURRENT_LIST_DIR}/shader_source_test.cpp)
target_link_libraries(test_app PRIVATE cnn_shaders)

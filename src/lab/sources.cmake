# The playground's logic without drawing (namespace cnn::lab): the training
# session, the evaluator, the one background-work mechanism that runs
# training, style transfer and transfer learning, data loading and CIFAR
# files, image classes, the digit pad's centring, the embedded backbone, the
# "Inside the network" layouts and the data side of the app (Playground).
# The desktop app, the web page and tests/lab link it.
#
# DataLoader and BackboneLoader fetch their files through platform.h
# (load_bytes), which the app's platform library (cnn_platform, with the
# window) implements: programs that use those two link cnn_platform as well.
add_library(cnn_lab STATIC
  ${CMAKE_CURRENT_LIST_DIR}/background.cpp
  ${CMAKE_CURRENT_LIST_DIR}/backbone.cpp
  ${CMAKE_CURRENT_LIST_DIR}/backbone_model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cifar_files.cpp
  ${CMAKE_CURRENT_LIST_DIR}/data_loader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/digit_pad.cpp
  ${CMAKE_CURRENT_LIST_DIR}/evaluator.cpp
  ${CMAKE_CURRENT_LIST_DIR}/image_classes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/inside_view.cpp
  ${CMAKE_CURRENT_LIST_DIR}/live_augmentation.cpp
  ${CMAKE_CURRENT_LIST_DIR}/model_io.cpp
  ${CMAKE_CURRENT_LIST_DIR}/playground.cpp
  ${CMAKE_CURRENT_LIST_DIR}/session.cpp
  ${CMAKE_CURRENT_LIST_DIR}/session_work.cpp
  ${CMAKE_CURRENT_LIST_DIR}/style_job.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transfer_job.cpp
)
target_link_libraries(cnn_lab PUBLIC cnn_engine cnn_platform_threads PRIVATE cnn_warnings)
# The embedded pretrained network (lab/backbone.h): the desktop reads the
# asset from this build's web/assets; the page fetches it from beside itself.
set_property(SOURCE ${CMAKE_CURRENT_LIST_DIR}/backbone.cpp APPEND PROPERTY COMPILE_DEFINITIONS
  CNN_BACKBONE_ASSET="${CMAKE_BINARY_DIR}/web/assets/resnet50_stage3.safetensors")

cnn_add_test(test_losses
  ${CMAKE_CURRENT_LIST_DIR}/loss_gradient_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/loss_registry_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/loss_values_test.cpp
)
# HasSubstr and EXPECT_THAT come from GoogleMock.
target_link_libraries(test_losses PRIVATE gmock)

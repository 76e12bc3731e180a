# cnn_add_test(test_bricks ...)

target_sources(cnn_engine PRIVATE)

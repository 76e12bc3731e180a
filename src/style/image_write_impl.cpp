// The one translation unit that compiles stb_image_write (the decoder,
// stb_image, is compiled once in data/stb_impl.cpp).
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

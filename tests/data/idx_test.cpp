#include "data/idx.h"

#include <gtest/gtest.h>

#include "data/gzip.h"
#include "data/mnist.h"
#include "data_test_util.h"

namespace cnn {
namespace {

using test::Bytes;

Bytes counting(size_t n) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = uint8_t(i * 7);
  return b;
}

TEST(Idx, ReadsPlainAndGzipFilesAlike) {
  std::string dir = test::temp_dir("idx_plain_gz");
  Bytes file = test::idx_bytes({2, 3, 4}, counting(24));
  test::write_bytes(dir + "/a.idx", file);
  test::write_bytes(dir + "/a.idx.gz", test::gzip_stored(file));
  for (const char* name : {"/a.idx", "/a.idx.gz"}) {
    IdxFile idx = read_idx(dir + name);
    EXPECT_EQ(idx.dims, (std::vector<int>{2, 3, 4})) << name;
    EXPECT_EQ(idx.data, counting(24)) << name;
  }
}

TEST(Idx, MissingFileSaysWhy) {
  std::string dir = test::temp_dir("idx_missing");
  EXPECT_EQ(test::error_of([&] { read_idx(dir + "/nope.idx"); }),
            dir + "/nope.idx: cannot open: No such file or directory");
  EXPECT_EQ(test::error_of([&] { read_idx(dir); }), dir + ": cannot open: is a directory");
}

TEST(Idx, RejectsWrongMagicAndElementType) {
  std::string dir = test::temp_dir("idx_magic");
  test::write_bytes(dir + "/png.idx", {0x89, 'P', 'N', 'G', 0, 0, 0, 0});
  EXPECT_CONTAINS(test::error_of([&] { read_idx(dir + "/png.idx"); }),
                  "png.idx: not an IDX file: it starts with 0x89 0x50");
  Bytes floats = test::idx_bytes({1}, {0, 0, 0, 0});
  floats[2] = 0x0D;
  test::write_bytes(dir + "/float.idx", floats);
  EXPECT_CONTAINS(test::error_of([&] { read_idx(dir + "/float.idx"); }),
                  "float.idx: unsupported IDX element type 0x0d: only 0x08 (unsigned byte)");
  test::write_bytes(dir + "/short.idx", {0, 0});
  EXPECT_CONTAINS(test::error_of([&] { read_idx(dir + "/short.idx"); }),
                  "short.idx: not an IDX file: only 2 bytes");
}

TEST(Idx, TruncatedFileStatesExpectedAndActualSize) {
  std::string dir = test::temp_dir("idx_truncated");
  Bytes file = test::idx_bytes({60000, 28, 28}, Bytes(1000 - 16, 0));
  test::write_bytes(dir + "/train-images-idx3-ubyte", file);
  EXPECT_EQ(test::error_of([&] { read_idx(dir + "/train-images-idx3-ubyte"); }),
            dir +
                "/train-images-idx3-ubyte: truncated: header says 60000 images of 28x28 "
                "(47040016 bytes) but the file has 1000 bytes");
  // The header itself cut off.
  Bytes header = test::idx_bytes({5, 5, 5}, {});
  header.resize(9);
  test::write_bytes(dir + "/h.idx", header);
  EXPECT_CONTAINS(test::error_of([&] { read_idx(dir + "/h.idx"); }), "h.idx: truncated");
  // Inside a gzip file the sizes are those after decompression.
  test::write_bytes(dir + "/l.idx.gz", test::gzip_stored(test::idx_bytes({10}, Bytes(4, 1))));
  EXPECT_EQ(test::error_of([&] { read_idx(dir + "/l.idx.gz"); }),
            dir +
                "/l.idx.gz: truncated: header says 10 values (18 bytes) but the file has 12 "
                "bytes (after decompression)");
}

TEST(Idx, TrailingBytesAreAnError) {
  std::string dir = test::temp_dir("idx_trailing");
  test::write_bytes(dir + "/t.idx", test::idx_bytes({2, 2, 2}, Bytes(9, 3)));
  EXPECT_EQ(test::error_of([&] { read_idx(dir + "/t.idx"); }),
            dir +
                "/t.idx: unexpected bytes after the data: header says 2 images of 2x2 (24 "
                "bytes) but the file has 25 bytes");
}

TEST(Idx, CorruptGzipIsReportedWithTheFileName) {
  std::string dir = test::temp_dir("idx_gzip_crc");
  Bytes gz = test::gzip_stored(test::idx_bytes({4}, {1, 2, 3, 4}));
  gz[gz.size() - 10] ^= 0xFF;  // last data byte
  test::write_bytes(dir + "/labels.gz", gz);
  EXPECT_EQ(test::error_of([&] { read_idx(dir + "/labels.gz"); }),
            dir + "/labels.gz: CRC mismatch: data corrupted");
}

}  // namespace
}  // namespace cnn

#include "data/gzip.h"

#include <gtest/gtest.h>

#include "core/file.h"
#include "data_test_util.h"

namespace cnn {
namespace {

using test::Bytes;

// The formula of tests/data/fixtures/make_fixtures.py.
Bytes pattern(size_t n) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = uint8_t((i * 31 + (i >> 5) * 7 + ((i * i) >> 9)) & 0xFF);
  return b;
}

TEST(Crc32, MatchesTheStandardCheckValueAndTheBitwiseDefinition) {
  const std::string check = "123456789";
  EXPECT_EQ(crc32(reinterpret_cast<const uint8_t*>(check.data()), check.size()), 0xCBF43926u);
  Bytes p = pattern(1000);
  EXPECT_EQ(crc32(p.data(), p.size()), test::crc32_bitwise(p));
  // Continuing over pieces gives the CRC of the whole.
  EXPECT_EQ(crc32(p.data() + 300, 700, crc32(p.data(), 300)), test::crc32_bitwise(p));
}

TEST(Gunzip, ReadsDynamicHuffmanFileMadeByGzipWithFileName) {
  Bytes gz = load_file_bytes(test::fixture("pattern.bin.gz"));
  ASSERT_EQ(gz[3] & 8, 8) << "fixture should carry FNAME";
  EXPECT_EQ(gunzip(gz, "pattern.bin.gz"), pattern(3000));
}

TEST(Gunzip, JoinsConcatenatedMembers) {
  Bytes out = gunzip(load_file_bytes(test::fixture("two-members.gz")), "two-members.gz");
  EXPECT_EQ(std::string(out.begin(), out.end()), "first member, second member\n");
}

TEST(Gunzip, ReadsStoredBlocksWithEveryHeaderField) {
  Bytes data = pattern(70000);  // two stored blocks
  test::GzipOptions o;
  o.extra = "AB\x04\x00xyzw";
  o.name = "data.bin";
  o.comment = "a comment";
  o.header_crc = true;
  EXPECT_EQ(gunzip(test::gzip_stored(data, o), "x.gz"), data);
}

TEST(Gunzip, EmptyMemberAndZeroPaddingAfterTheLastMember) {
  Bytes gz = test::gzip_stored({});
  EXPECT_TRUE(gunzip(gz, "x.gz").empty());
  Bytes padded = test::gzip_stored(test::text_bytes("abc"));
  padded.resize(padded.size() + 1024, 0);  // as in a tar.gz padded to a record size
  EXPECT_EQ(gunzip(padded, "x.gz"), test::text_bytes("abc"));
}

TEST(Gunzip, RejectsNonGzipData) {
  std::string msg = test::error_of([] { gunzip(test::text_bytes("hello world"), "notes.txt"); });
  EXPECT_CONTAINS(msg, "notes.txt: not a gzip file");
  msg = test::error_of([] { gunzip({}, "empty.gz"); });
  EXPECT_CONTAINS(msg, "empty.gz: not a gzip file");
}

TEST(Gunzip, EveryTruncationOfARealFileIsReportedAsTruncated) {
  const Bytes gz = load_file_bytes(test::fixture("pattern.bin.gz"));
  for (size_t len = 2; len < gz.size(); ++len) {
    Bytes cut(gz.begin(), gz.begin() + std::ptrdiff_t(len));
    std::string msg = test::error_of([&] { gunzip(cut, "cut.gz"); });
    ASSERT_NE(msg.find("cut.gz: truncated"), std::string::npos) << "length " << len << ": " << msg;
  }
}

TEST(Gunzip, TruncatedStoredBlockIsReportedAsTruncated) {
  Bytes gz = test::gzip_stored(pattern(5000));
  gz.resize(gz.size() - 1000);
  EXPECT_CONTAINS(test::error_of([&] { gunzip(gz, "s.gz"); }), "s.gz: truncated");
}

TEST(Gunzip, CorruptedDataOrTrailerFailsTheCrcCheck) {
  Bytes gz = test::gzip_stored(pattern(300));
  Bytes bad_data = gz;
  bad_data[100] ^= 0x10;  // inside the stored block
  EXPECT_CONTAINS(test::error_of([&] { gunzip(bad_data, "d.gz"); }),
                  "d.gz: CRC mismatch: data corrupted");
  Bytes bad_crc = load_file_bytes(test::fixture("pattern.bin.gz"));
  bad_crc[bad_crc.size() - 8] ^= 1;  // first CRC byte of the trailer
  EXPECT_CONTAINS(test::error_of([&] { gunzip(bad_crc, "c.gz"); }),
                  "c.gz: CRC mismatch: data corrupted");
  Bytes bad_size = gz;
  bad_size[bad_size.size() - 1] ^= 1;  // ISIZE
  EXPECT_CONTAINS(test::error_of([&] { gunzip(bad_size, "i.gz"); }), "i.gz: size mismatch");
}

TEST(Gunzip, CorruptDeflateStream) {
  Bytes gz = load_file_bytes(test::fixture("pattern.bin.gz"));
  size_t body = 10 + std::string("pattern.bin").size() + 1;
  gz[body] |= 6;  // BTYPE = 11, reserved
  EXPECT_CONTAINS(test::error_of([&] { gunzip(gz, "z.gz"); }), "z.gz: corrupt deflate stream");
  Bytes stored = test::gzip_stored(pattern(300));
  stored[13] ^= 0xFF;  // NLEN no longer the complement of LEN
  EXPECT_CONTAINS(test::error_of([&] { gunzip(stored, "n.gz"); }), "n.gz: corrupt deflate stream");
}

TEST(Gunzip, HeaderProblems) {
  test::GzipOptions o;
  o.name = "file";
  o.header_crc = true;
  Bytes gz = test::gzip_stored(test::text_bytes("abc"), o);
  gz[11] ^= 1;  // a letter of the name, covered by the header CRC
  EXPECT_CONTAINS(test::error_of([&] { gunzip(gz, "h.gz"); }), "h.gz: header CRC mismatch");

  Bytes method = test::gzip_stored(test::text_bytes("abc"));
  method[2] = 7;
  EXPECT_CONTAINS(test::error_of([&] { gunzip(method, "m.gz"); }),
                  "m.gz: unsupported gzip compression method 7");
  Bytes reserved = test::gzip_stored(test::text_bytes("abc"));
  reserved[3] = 0x20;
  EXPECT_CONTAINS(test::error_of([&] { gunzip(reserved, "r.gz"); }), "r.gz: corrupt gzip header");

  Bytes unterminated = test::gzip_stored(test::text_bytes("abc"), o);
  unterminated.resize(14);  // inside the name
  EXPECT_CONTAINS(test::error_of([&] { gunzip(unterminated, "u.gz"); }), "u.gz: truncated");
}

TEST(Gunzip, JunkAfterTheLastMemberIsAnError) {
  Bytes gz = test::gzip_stored(test::text_bytes("abc"));
  Bytes junk = test::text_bytes("junk");
  gz.insert(gz.end(), junk.begin(), junk.end());
  EXPECT_CONTAINS(test::error_of([&] { gunzip(gz, "j.gz"); }),
                  "j.gz: unexpected data after the gzip stream (4 bytes");
  Bytes second = test::gzip_stored(test::text_bytes("abc"));
  Bytes broken = test::gzip_stored(pattern(100));
  broken[broken.size() - 5] ^= 1;
  second.insert(second.end(), broken.begin(), broken.end());
  EXPECT_CONTAINS(test::error_of([&] { gunzip(second, "2.gz"); }), "2.gz: member 2: CRC mismatch");
}

}  // namespace
}  // namespace cnn

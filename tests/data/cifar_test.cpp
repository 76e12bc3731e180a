#include "data/cifar.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "data/tar.h"
#include "data_test_util.h"

namespace cnn {
namespace {

using test::Bytes;

// Record r of batch b as make_fixtures.py writes it: label (2b + r) % 10,
// pixel (c, y, x) = (80c + 3y + 5x + 11b + 17r) % 256.
uint8_t fixture_pixel(int b, int r, int c, int y, int x) {
  return uint8_t((80 * c + 3 * y + 5 * x + 11 * b + 17 * r) % 256);
}

Bytes batch_file(int b, int records) {
  Bytes out;
  for (int r = 0; r < records; ++r) {
    out.push_back(uint8_t((2 * b + r) % 10));
    for (int c = 0; c < 3; ++c)
      for (int y = 0; y < 32; ++y)
        for (int x = 0; x < 32; ++x) out.push_back(fixture_pixel(b, r, c, y, x));
  }
  return out;
}

// Checks sample i against record r of batch b.
void expect_record(const Dataset& d, int i, int b, int r) {
  EXPECT_EQ(d.y[size_t(i)], float((2 * b + r) % 10)) << "sample " << i;
  for (int c = 0; c < 3; ++c)
    for (int y = 0; y < 32; y += 7)
      for (int x = 0; x < 32; x += 5)
        ASSERT_EQ(d.x.at(i, c, y, x), float(fixture_pixel(b, r, c, y, x)))
            << "sample " << i << " c" << c << " y" << y << " x" << x;
}

TEST(Cifar, BatchFilesDecodeToNCHWWithRGBPlanes) {
  std::string dir = test::temp_dir("cifar_batches");
  test::write_bytes(dir + "/a.bin", batch_file(1, 3));
  test::write_bytes(dir + "/b.bin", batch_file(2, 1));
  Dataset d = load_cifar10_batches({dir + "/a.bin", dir + "/b.bin"}, "cifar10/mine");
  EXPECT_EQ(d.name, "cifar10/mine");
  ASSERT_EQ(d.x.shape(), (Shape{4, 3, 32, 32}));
  ASSERT_EQ(d.y.shape(), (Shape{4, 1, 1, 1}));
  EXPECT_EQ(d.num_classes, 10);
  EXPECT_EQ(d.class_names.front(), "airplane");
  EXPECT_EQ(d.class_names.back(), "truck");
  expect_record(d, 0, 1, 0);
  expect_record(d, 2, 1, 2);
  expect_record(d, 3, 2, 0);
}

TEST(Cifar, SizeThatIsNotWholeRecordsNamesTheFile) {
  std::string dir = test::temp_dir("cifar_size");
  Bytes b = batch_file(1, 2);
  b.pop_back();
  test::write_bytes(dir + "/data_batch_1.bin", b);
  EXPECT_EQ(test::error_of([&] { load_cifar10_batches({dir + "/data_batch_1.bin"}); }),
            dir +
                "/data_batch_1.bin: not a CIFAR-10 batch file: 6145 bytes is not a whole number "
                "of 3073-byte records (1 label + 32x32x3 pixels)");
  test::write_bytes(dir + "/empty.bin", {});
  EXPECT_CONTAINS(test::error_of([&] { load_cifar10_batches({dir + "/empty.bin"}); }),
                  "empty.bin: not a CIFAR-10 batch file: 0 bytes");
  EXPECT_CONTAINS(test::error_of([&] { load_cifar10_batches({dir + "/missing.bin"}); }),
                  "missing.bin: cannot open");
}

TEST(Cifar, LabelOutsideTheClasses) {
  std::string dir = test::temp_dir("cifar_label");
  Bytes b = batch_file(1, 3);
  b[2 * 3073] = 12;
  test::write_bytes(dir + "/x.bin", b);
  EXPECT_EQ(test::error_of([&] { load_cifar10_batches({dir + "/x.bin"}); }),
            dir + "/x.bin: label 12 of record 2 is outside 0..9");
}

TEST(Cifar, ArchiveMadeByGnuTarAndGzip) {
  Dataset train = load_cifar10_archive(test::fixture("cifar-10-tiny.tar.gz"), true);
  EXPECT_EQ(train.name, "cifar10/train");
  ASSERT_EQ(train.x.shape(), (Shape{10, 3, 32, 32}));
  for (int b = 1; b <= 5; ++b)
    for (int r = 0; r < 2; ++r) expect_record(train, 2 * (b - 1) + r, b, r);
  Dataset test_set = load_cifar10_archive(test::fixture("cifar-10-tiny.tar.gz"), false);
  EXPECT_EQ(test_set.name, "cifar10/test");
  ASSERT_EQ(test_set.x.shape(), (Shape{2, 3, 32, 32}));
  expect_record(test_set, 0, 6, 0);
  expect_record(test_set, 1, 6, 1);
}

TEST(Cifar, UncompressedUstarArchiveAndAMissingBatch) {
  std::string dir = test::temp_dir("cifar_ustar");
  test::write_bytes(dir + "/c.tar",
                    test::ustar({{"cifar-10-batches-bin/test_batch.bin", batch_file(6, 1)},
                                 {"cifar-10-batches-bin/data_batch_1.bin", batch_file(1, 1)}}));
  Dataset t = load_cifar10_archive(dir + "/c.tar", false);
  ASSERT_EQ(t.size(), 1);
  expect_record(t, 0, 6, 0);
  EXPECT_EQ(test::error_of([&] { load_cifar10_archive(dir + "/c.tar", true); }),
            dir + "/c.tar: the archive lacks cifar-10-batches-bin/data_batch_2.bin");
}

TEST(Cifar, ForeignArchivesAndNonArchives) {
  std::string dir = test::temp_dir("cifar_foreign");
  test::write_bytes(
      dir + "/photos.tar.gz",
      test::gzip_stored(test::ustar({{"photos/cat.jpg", Bytes(700, 1)}, {"readme", Bytes(5, 2)}})));
  EXPECT_EQ(test::error_of([&] { load_cifar10_archive(dir + "/photos.tar.gz", true); }),
            dir +
                "/photos.tar.gz: no CIFAR-10 batch files in archive (expected "
                "cifar-10-batches-bin/data_batch_1..5.bin and test_batch.bin)");
  test::write_bytes(dir + "/notes.gz", test::gzip_stored(test::text_bytes("just some text")));
  EXPECT_EQ(test::error_of([&] { load_cifar10_archive(dir + "/notes.gz", true); }),
            dir + "/notes.gz: not a tar archive");
  Bytes big(2048, 'x');
  test::write_bytes(dir + "/junk.tar", big);
  EXPECT_EQ(test::error_of([&] { load_cifar10_archive(dir + "/junk.tar", true); }),
            dir + "/junk.tar: not a tar archive");
}

// The bytes entry points (the playground's): what the browser hands over.
TEST(Cifar, BatchBytesAndTheirCheck) {
  const Bytes a = batch_file(1, 3), b = batch_file(2, 2);
  EXPECT_EQ(check_cifar10_batch(a, "data_batch_1.bin"), 3u);
  Dataset d = parse_cifar10_batches({{"data_batch_1.bin", a}, {"data_batch_2.bin", b}});
  EXPECT_EQ(d.name, "cifar10");
  ASSERT_EQ(d.x.shape(), (Shape{5, 3, 32, 32}));
  expect_record(d, 2, 1, 2);
  expect_record(d, 4, 2, 1);

  Bytes cut(a.begin(), a.end() - 1000);
  EXPECT_EQ(test::error_of([&] { check_cifar10_batch(cut, "data_batch_1.bin"); }),
            "data_batch_1.bin: not a CIFAR-10 batch file: 8219 bytes is not a whole number of "
            "3073-byte records (1 label + 32x32x3 pixels)");
  EXPECT_EQ(test::error_of([&] {
              parse_cifar10_batches({{"x.bin", cut}});
            }),
            "x.bin: not a CIFAR-10 batch file: 8219 bytes is not a whole number of "
            "3073-byte records (1 label + 32x32x3 pixels)");
  Bytes bad_label = a;
  bad_label[3073] = 200;
  EXPECT_EQ(test::error_of([&] { check_cifar10_batch(bad_label, "b.bin"); }),
            "b.bin: label 200 of record 1 is outside 0..9");
  EXPECT_EQ(test::error_of([&] { parse_cifar10_batches({}); }), "no CIFAR-10 batch files given");
}

TEST(Cifar, ArchiveBytesGiveBothSetsFromWhateverBatchesItHolds) {
  // The official archive, shrunk (make_fixtures.py: gzip'd GNU tar).
  Cifar10Sets full =
      parse_cifar10_archive(test::read_bytes(test::fixture("cifar-10-tiny.tar.gz")), "c.tgz");
  ASSERT_EQ(full.train.x.shape(), (Shape{10, 3, 32, 32}));
  ASSERT_EQ(full.test.x.shape(), (Shape{2, 3, 32, 32}));
  EXPECT_EQ(full.train.name, "cifar10/train");
  EXPECT_EQ(full.test.name, "cifar10/test");
  for (int b = 1; b <= 5; ++b) expect_record(full.train, 2 * (b - 1), b, 0);
  expect_record(full.test, 1, 6, 1);

  // Two training batches, stored out of order, batch 10 after batch 2; uncompressed.
  Bytes tar = test::ustar({{"cifar-10-batches-bin/data_batch_10.bin", batch_file(10, 1)},
                           {"cifar-10-batches-bin/test_batch.bin", batch_file(6, 1)},
                           {"cifar-10-batches-bin/data_batch_2.bin", batch_file(2, 2)},
                           {"cifar-10-batches-bin/readme.html", Bytes(88, 'x')}});
  Cifar10Sets part = parse_cifar10_archive(tar, "part.tar");
  ASSERT_EQ(part.train.size(), 3);
  expect_record(part.train, 0, 2, 0);
  expect_record(part.train, 1, 2, 1);
  expect_record(part.train, 2, 10, 0);
  ASSERT_EQ(part.test.size(), 1);
  expect_record(part.test, 0, 6, 0);
  // The same, gzip'd.
  EXPECT_EQ(parse_cifar10_archive(test::gzip_stored(tar), "part.tar.gz").train.size(), 3);
}

TEST(Cifar, ArchiveBytesThatAreCutOrForeignOrIncomplete) {
  const Bytes gz = test::read_bytes(test::fixture("cifar-10-tiny.tar.gz"));
  Bytes cut(gz.begin(), gz.begin() + std::ptrdiff_t(gz.size() / 2));
  EXPECT_CONTAINS(test::error_of([&] { parse_cifar10_archive(cut, "cifar-10-binary.tar.gz"); }),
                  "cifar-10-binary.tar.gz: truncated");
  Bytes tar = test::ustar({{"cifar-10-batches-bin/data_batch_1.bin", batch_file(1, 4)},
                           {"cifar-10-batches-bin/test_batch.bin", batch_file(6, 1)}});
  Bytes tar_cut(tar.begin(), tar.begin() + 512 + 3 * 3073);
  EXPECT_EQ(test::error_of([&] { parse_cifar10_archive(tar_cut, "c.tar"); }),
            "c.tar: truncated tar archive: 'cifar-10-batches-bin/data_batch_1.bin' needs 12292 "
            "bytes but the archive has 9219 left");
  EXPECT_EQ(test::error_of([&] {
              parse_cifar10_archive(test::ustar({{"a/test_batch.bin", batch_file(6, 1)}}), "t.tar");
            }),
            "t.tar: the archive has no training batches "
            "(cifar-10-batches-bin/data_batch_1..5.bin)");
  EXPECT_EQ(
      test::error_of([&] {
        parse_cifar10_archive(test::ustar({{"a/data_batch_1.bin", batch_file(1, 1)}}), "t.tar");
      }),
      "t.tar: the archive lacks cifar-10-batches-bin/test_batch.bin");
  EXPECT_EQ(test::error_of([&] {
              parse_cifar10_archive(test::gzip_stored(test::text_bytes("hello")), "notes.gz");
            }),
            "notes.gz: not a tar archive");
  EXPECT_EQ(test::error_of([&] {
              parse_cifar10_archive(test::ustar({{"photos/cat.jpg", Bytes(700, 1)}}), "p.tar");
            }),
            "p.tar: no CIFAR-10 batch files in archive (expected "
            "cifar-10-batches-bin/data_batch_1..5.bin and test_batch.bin)");
}

TEST(Tar, ListsFilesAndDetectsTruncation) {
  Bytes archive = test::ustar({{"dir/one", Bytes(10, 1)}, {"two", Bytes(600, 2)}});
  std::vector<TarEntry> entries = list_tar(archive, "a.tar");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].name, "dir/one");
  EXPECT_EQ(entries[0].size, 10u);
  EXPECT_EQ(archive[entries[0].offset], 1);
  EXPECT_EQ(entries[1].name, "two");
  EXPECT_EQ(entries[1].size, 600u);
  EXPECT_EQ(archive[entries[1].offset + 599], 2);
  Bytes cut(archive.begin(), archive.begin() + 512 + 512 + 512 + 100);  // inside "two"
  EXPECT_EQ(test::error_of([&] { list_tar(cut, "a.tar"); }),
            "a.tar: truncated tar archive: 'two' needs 600 bytes but the archive has 100 left");
  Bytes corrupt = archive;
  corrupt[1024 + 1] ^= 1;  // the name of the second header: checksum no longer matches
  EXPECT_EQ(test::error_of([&] { list_tar(corrupt, "a.tar"); }),
            "a.tar: corrupt tar header at offset 1024");
}

}  // namespace
}  // namespace cnn

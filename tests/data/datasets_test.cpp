// The data-set table: every name resolves, each entry agrees with the
// loaders it names, and unknown names list the known ones.
#include "data/datasets.h"

#include <gtest/gtest.h>

#include "data/cifar.h"
#include "data/mnist.h"
#include "data_test_util.h"

namespace cnn {
namespace {

TEST(Datasets, NamesInMenuOrder) {
  EXPECT_EQ(dataset_names(), "mnist, fashion-mnist, cifar10");
  ASSERT_EQ(known_datasets().size(), 3u);
  for (const DatasetInfo& d : known_datasets()) EXPECT_EQ(&dataset_info(d.name), &d);
}

TEST(Datasets, UnknownNameListsTheKnownOnes) {
  EXPECT_EQ(test::error_of([] { dataset_info("imagenet"); }),
            "unknown dataset \"imagenet\" (choose one of: mnist, fashion-mnist, cifar10)");
  EXPECT_EQ(test::error_of([] { load_dataset("imagenet", "", true); }),
            "unknown dataset \"imagenet\" (choose one of: mnist, fashion-mnist, cifar10)");
}

TEST(Datasets, ShapesClassesAndFiles) {
  const DatasetInfo& mnist = dataset_info("mnist");
  EXPECT_EQ(mnist.format, DatasetFormat::kIdx);
  EXPECT_EQ(mnist.channels * mnist.height * mnist.width, 784);
  EXPECT_EQ(&mnist.class_names(), &mnist_class_names());
  EXPECT_EQ(mnist.test_files,
            (std::vector<std::string>{"t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}));
  EXPECT_FALSE(mnist.user_files);
  EXPECT_EQ(&dataset_info("fashion-mnist").class_names(), &fashion_mnist_class_names());
  EXPECT_TRUE(dataset_info("fashion-mnist").gz_first);

  const DatasetInfo& cifar = dataset_info("cifar10");
  EXPECT_EQ(cifar.format, DatasetFormat::kCifar10);
  EXPECT_EQ(cifar.channels, 3);
  EXPECT_EQ(cifar.height, 32);
  EXPECT_EQ(cifar.class_names().size(), 10u);
  EXPECT_TRUE(cifar.user_files);
  EXPECT_EQ(cifar.train_files.size(), 5u);
  for (int k = 1; k <= 5; ++k)
    EXPECT_EQ(cifar10_training_batch_number(cifar.train_files[size_t(k - 1)]), k);
  EXPECT_EQ(cifar.test_files, std::vector<std::string>{"test_batch.bin"});
  EXPECT_STREQ(cifar.archive, "cifar-10-binary.tar.gz");
}

TEST(Datasets, FolderIsTheUrlFolderOverHttpElseTheDefaultFolder) {
  const DatasetInfo& mnist = dataset_info("mnist");
  EXPECT_EQ(dataset_folder(mnist, true), "data/mnist/");
  EXPECT_EQ(dataset_folder(dataset_info("fashion-mnist"), true), "data/fashion-mnist/");
  std::string local = dataset_folder(mnist, false);
  ASSERT_FALSE(local.empty());
  EXPECT_EQ(local.back(), '/');
  EXPECT_EQ(local, default_mnist_dir() + (default_mnist_dir().back() == '/' ? "" : "/"));
}

TEST(Datasets, LoadsIdxFilesByTheirTableNames) {
  const std::string dir = test::temp_dir("datasets_idx");
  const DatasetInfo& fashion = dataset_info("fashion-mnist");
  test::write_bytes(dir + "/" + fashion.test_files[0],
                    test::idx_bytes({2, 2, 3}, test::Bytes(12, 9)));
  test::write_bytes(dir + "/" + fashion.test_files[1], test::idx_bytes({2}, {7, 8}));
  Dataset d = load_dataset("fashion-mnist", dir, false);
  EXPECT_EQ(d.name, "fashion-mnist/test");
  EXPECT_EQ(d.x.shape(), (Shape{2, 1, 2, 3}));
  EXPECT_EQ(d.class_names[7], "Sneaker");
}

TEST(Datasets, Cifar10WithoutLocationSaysWhereToGetIt) {
  EXPECT_EQ(test::error_of([] { load_dataset("cifar10", "", true); }),
            "cifar10: no package ships CIFAR-10; download cifar-10-binary.tar.gz and pass "
            "--data PATH (the archive, or the folder of its .bin files)");
}

}  // namespace
}  // namespace cnn

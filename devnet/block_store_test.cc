// The block file: what is written loads back, a torn last line is cut off,
// a replaced tail is replayed as replaced, and damage elsewhere is refused.
#include "devnet/block_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace sonde::devnet {
namespace {

class BlockStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sonde-block-store-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/chain.jsonl";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Appends the next block to chain_ and returns its line. Call in sequence
  // (one statement each): operands of + are evaluated in no fixed order.
  std::string Next(uint64_t time_ms) {
    const Hash prev = chain_.empty() ? genesis_ : chain_.back().hash;
    chain_.push_back(MakeBlock(chain_.size() + 1, prev, time_ms, {}));
    return BlockLine(chain_.back());
  }
  void Write(const std::string& text) {
    auto f = BlockFile::Open(path_);
    ASSERT_TRUE(f.ok()) << f.error();
    ASSERT_TRUE(f->Append(text, true).ok());
  }
  Result<StoredChain> Load() { return LoadBlockFile(path_, "c", genesis_); }

  std::string dir_, path_;
  Hash genesis_ = GenesisHash("c", {});
  std::vector<Block> chain_;
};

TEST_F(BlockStoreTest, AMissingFileIsAnEmptyChain) {
  auto s = Load();
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_TRUE(s->blocks.empty());
  EXPECT_EQ(s->committed, 0u);
}

TEST_F(BlockStoreTest, BlocksAndCommitsLoadBack) {
  std::string text = Next(1);
  text += Next(2);
  text += CommitLine(1);
  text += Next(3);
  Write(text);
  auto s = Load();
  ASSERT_TRUE(s.ok()) << s.error();
  ASSERT_EQ(s->blocks.size(), 3u);
  EXPECT_EQ(s->blocks[2].hash, chain_[2].hash);
  EXPECT_EQ(s->committed, 1u);
  EXPECT_FALSE(s->torn_tail_removed);
}

TEST_F(BlockStoreTest, ATornLastLineIsCutOffAndTheFileTruncated) {
  const std::string good = Next(1) + CommitLine(1);
  const std::string torn = Next(2);
  Write(good + torn.substr(0, torn.size() / 2));
  auto s = Load();
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_TRUE(s->torn_tail_removed);
  EXPECT_EQ(s->blocks.size(), 1u);
  EXPECT_EQ(std::filesystem::file_size(path_), good.size());
  // Appending after the cut gives a clean file again.
  Write(torn);
  auto again = Load();
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_EQ(again->blocks.size(), 2u);
  EXPECT_FALSE(again->torn_tail_removed);
}

TEST_F(BlockStoreTest, ALaterBlockAtAHeightReplacesTheUncommittedTail) {
  std::string text = Next(1);
  text += CommitLine(1);
  text += Next(2);
  text += Next(3);
  Write(text);
  chain_.resize(1);
  Write(Next(99));  // height 2 again, at another time
  const Block replacement = chain_.back();
  auto s = Load();
  ASSERT_TRUE(s.ok()) << s.error();
  ASSERT_EQ(s->blocks.size(), 2u);
  EXPECT_EQ(s->blocks[1].hash, replacement.hash);
}

TEST_F(BlockStoreTest, DamageBeforeTheLastLineIsRefusedWithTheLineNumber) {
  std::string text = Next(1);
  text += "{\"oops\":1}\n";
  text += Next(2);
  Write(text);
  auto s = Load();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().find("chain.jsonl:2:"), std::string::npos) << s.error();
}

TEST_F(BlockStoreTest, ReplacingACommittedBlockIsRefused) {
  Write(Next(1) + CommitLine(1));
  chain_.clear();
  Write(Next(5) + CommitLine(1));
  auto s = Load();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().find("replaces a committed block"), std::string::npos) << s.error();
}

}  // namespace
}  // namespace sonde::devnet

#include "devnet/block_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace sonde::devnet {

namespace json = boost::json;

namespace {

std::string Errno(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

// Applies one parsed line to `chain`; the error explains what is wrong.
Status Replay(const json::value& v, std::string_view chain_id, const Hash& genesis,
              StoredChain* chain) {
  if (!v.is_object() || v.get_object().size() != 1) return Fail("not a block or commit line");
  const json::object& o = v.get_object();
  if (const json::value* c = o.if_contains("commit")) {
    if (!c->is_uint64() && !(c->is_int64() && c->get_int64() >= 0)) {
      return Fail("commit height is not a number");
    }
    const uint64_t h = c->is_uint64() ? c->get_uint64() : static_cast<uint64_t>(c->get_int64());
    if (h > chain->blocks.size()) return Fail("commit beyond the last block");
    chain->committed = std::max(chain->committed, h);
    return Status::Ok();
  }
  const json::value* bv = o.if_contains("block");
  if (bv == nullptr) return Fail("not a block or commit line");
  auto block = BlockFromJson(*bv, chain_id);
  if (!block.ok()) return Fail(block.error());
  const uint64_t h = block->height;
  if (h == 0 || h > chain->blocks.size() + 1) return Fail("block height out of sequence");
  if (h <= chain->committed) return Fail("block replaces a committed block");
  const Hash& prev = h == 1 ? genesis : chain->blocks[h - 2].hash;
  if (block->prev_hash != prev) return Fail("block does not follow its predecessor");
  chain->blocks.resize(h - 1);
  chain->blocks.push_back(std::move(block.value()));
  return Status::Ok();
}

}  // namespace

std::string BlockLine(const Block& b) {
  return json::serialize(json::object{{"block", BlockToJson(b)}}) + "\n";
}

std::string CommitLine(uint64_t height) {
  return json::serialize(json::object{{"commit", height}}) + "\n";
}

Result<StoredChain> LoadBlockFile(const std::string& path, std::string_view chain_id,
                                  const Hash& genesis) {
  StoredChain chain;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (::access(path.c_str(), F_OK) != 0 && errno == ENOENT) return chain;
    return Fail(Errno("cannot read", path));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  size_t pos = 0;
  size_t line_no = 0;
  while (pos < text.size()) {
    ++line_no;
    const size_t end = text.find('\n', pos);
    const bool last = end == std::string::npos || end + 1 == text.size();
    const std::string_view line(text.data() + pos,
                                (end == std::string::npos ? text.size() : end) - pos);
    boost::system::error_code ec;
    json::value v = end == std::string::npos ? json::value() : json::parse(line, ec);
    Status s = end == std::string::npos ? Status(Fail("no newline"))
               : ec                     ? Status(Fail("not JSON: " + ec.message()))
                                        : Replay(v, chain_id, genesis, &chain);
    if (!s.ok()) {
      if (!last) {
        return Fail(path + ":" + std::to_string(line_no) + ": " + s.error() +
                    " (the file is damaged; move it away to start this node from scratch)");
      }
      // A crash mid-write leaves at most the last line torn: cut it off.
      if (::truncate(path.c_str(), static_cast<off_t>(pos)) != 0) {
        return Fail(Errno("cannot truncate the torn last line of", path));
      }
      chain.torn_tail_removed = true;
      break;
    }
    pos = end + 1;
  }
  return chain;
}

Result<BlockFile> BlockFile::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return Fail(Errno("cannot open", path));
  return BlockFile(path, fd);
}

BlockFile::BlockFile(BlockFile&& other) noexcept : path_(std::move(other.path_)), fd_(other.fd_) {
  other.fd_ = -1;
}

BlockFile::~BlockFile() {
  if (fd_ >= 0) ::close(fd_);
}

Status BlockFile::Append(std::string_view lines, bool sync) {
  const char* p = lines.data();
  size_t left = lines.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Fail(Errno("cannot write", path_));
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (sync && ::fdatasync(fd_) != 0) return Fail(Errno("cannot sync", path_));
  return Status::Ok();
}

}  // namespace sonde::devnet

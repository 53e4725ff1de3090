#include "signer/byte_codec.h"

#include <cstring>

namespace sonde::signer {

void ByteWriter::U64(uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out_.push_back(static_cast<uint8_t>(v >> shift));
}

void ByteWriter::Fixed(std::span<const uint8_t> bytes) {
  out_.insert(out_.end(), bytes.begin(), bytes.end());
}

void ByteWriter::Prefixed(std::span<const uint8_t> bytes) {
  out_.push_back(static_cast<uint8_t>(bytes.size() >> 8));
  out_.push_back(static_cast<uint8_t>(bytes.size()));
  Fixed(bytes);
}

void ByteWriter::Prefixed(std::string_view text) {
  Prefixed(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

Status ByteReader::Need(size_t n, std::string_view field) const {
  if (in_.size() - pos_ < n) {
    return MakeError(ErrorCode::kInvalidEncoding,
                     "truncated at " + std::string(field) + ": needs " + std::to_string(n) +
                         " bytes at offset " + std::to_string(pos_) + ", " +
                         std::to_string(in_.size() - pos_) + " left");
  }
  return Status::Ok();
}

Status ByteReader::U8(uint8_t* v, std::string_view field) {
  if (Status s = Need(1, field); !s.ok()) return s;
  *v = in_[pos_++];
  return Status::Ok();
}

Status ByteReader::U64(uint64_t* v, std::string_view field) {
  if (Status s = Need(8, field); !s.ok()) return s;
  *v = 0;
  for (int i = 0; i < 8; ++i) *v = (*v << 8) | in_[pos_++];
  return Status::Ok();
}

Status ByteReader::Fixed(std::span<uint8_t> out, std::string_view field) {
  if (Status s = Need(out.size(), field); !s.ok()) return s;
  if (!out.empty()) std::memcpy(out.data(), in_.data() + pos_, out.size());
  pos_ += out.size();
  return Status::Ok();
}

Status ByteReader::Prefixed(std::vector<uint8_t>* out, std::string_view field) {
  if (Status s = Need(2, std::string(field) + " length"); !s.ok()) return s;
  size_t n = (size_t{in_[pos_]} << 8) | in_[pos_ + 1];
  pos_ += 2;
  if (Status s = Need(n, field); !s.ok()) return s;
  out->assign(in_.begin() + pos_, in_.begin() + pos_ + n);
  pos_ += n;
  return Status::Ok();
}

Status ByteReader::Finish(std::string_view message) const {
  if (pos_ != in_.size()) {
    return MakeError(ErrorCode::kInvalidEncoding, std::to_string(in_.size() - pos_) +
                                                      " unexpected bytes after the end of the " +
                                                      std::string(message));
  }
  return Status::Ok();
}

}  // namespace sonde::signer

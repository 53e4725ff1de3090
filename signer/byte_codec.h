// The primitives of the canonical encodings (see ENCODING.md): big-endian
// fixed-width integers, fixed-size byte strings, and byte strings prefixed
// with their length as a big-endian u16. The Reader never reads past its
// input and reports which field was short. Not thread-safe; one per message.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "signer/result.h"

namespace sonde::signer {

class ByteWriter {
 public:
  void U8(uint8_t v) { out_.push_back(v); }
  void U64(uint64_t v);
  void Fixed(std::span<const uint8_t> bytes);
  // Caller checks bytes.size() <= 0xffff (the canonical encoders do).
  void Prefixed(std::span<const uint8_t> bytes);
  void Prefixed(std::string_view text);
  std::vector<uint8_t> Take() { return std::move(out_); }

 private:
  std::vector<uint8_t> out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::span<const uint8_t> in) : in_(in) {}
  Status U8(uint8_t* v, std::string_view field);
  Status U64(uint64_t* v, std::string_view field);
  Status Fixed(std::span<uint8_t> out, std::string_view field);
  Status Prefixed(std::vector<uint8_t>* out, std::string_view field);
  // kInvalidEncoding if bytes remain after the last field.
  Status Finish(std::string_view message) const;

 private:
  Status Need(size_t n, std::string_view field) const;

  std::span<const uint8_t> in_;
  size_t pos_ = 0;
};

}  // namespace sonde::signer

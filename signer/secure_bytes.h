// A fixed-size buffer for secret bytes (seeds, signing keys, FROST shares and
// nonces). The memory comes from sodium_malloc: guard pages on both sides,
// mlock()ed where the system allows it (so it is not swapped out), and wiped
// by sodium_free when the buffer is destroyed. Move-only, so a secret has one
// owner and is wiped once. Not thread-safe; treat like any value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace sonde::signer {

class SecureBytes {
 public:
  // Zero-filled. Throws std::bad_alloc when sodium_malloc fails, as `new`
  // would: running out of memory is not an error the caller can handle.
  explicit SecureBytes(size_t size);
  ~SecureBytes();
  SecureBytes(SecureBytes&& other) noexcept;
  SecureBytes& operator=(SecureBytes&& other) noexcept;
  SecureBytes(const SecureBytes&) = delete;
  SecureBytes& operator=(const SecureBytes&) = delete;

  // A copy in fresh secure memory; explicit so that copies are visible.
  SecureBytes Clone() const;

  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  std::span<uint8_t> span() { return {data_, size_}; }
  std::span<const uint8_t> span() const { return {data_, size_}; }

  // Constant-time comparison of equal-size buffers.
  bool Equals(std::span<const uint8_t> other) const;

 private:
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace sonde::signer

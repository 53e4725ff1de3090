#include "signer/secure_bytes.h"

#include <sodium.h>

#include <cstring>
#include <new>
#include <utility>

#include "signer/sodium_init.h"

namespace sonde::signer {

SecureBytes::SecureBytes(size_t size) : size_(size) {
  EnsureSodium();
  // sodium_malloc(0) is allowed but returns a pointer we may not touch; one
  // byte keeps data() valid for empty buffers.
  data_ = static_cast<uint8_t*>(sodium_malloc(size == 0 ? 1 : size));
  if (data_ == nullptr) throw std::bad_alloc();
  sodium_memzero(data_, size == 0 ? 1 : size);
}

SecureBytes::~SecureBytes() {
  if (data_ != nullptr) sodium_free(data_);  // wipes, unlocks, unmaps
}

SecureBytes::SecureBytes(SecureBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecureBytes& SecureBytes::operator=(SecureBytes&& other) noexcept {
  if (this != &other) {
    if (data_ != nullptr) sodium_free(data_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

SecureBytes SecureBytes::Clone() const {
  SecureBytes copy(size_);
  if (size_ != 0) std::memcpy(copy.data_, data_, size_);
  return copy;
}

bool SecureBytes::Equals(std::span<const uint8_t> other) const {
  if (other.size() != size_) return false;
  if (size_ == 0) return true;
  return sodium_memcmp(data_, other.data(), size_) == 0;
}

}  // namespace sonde::signer

// Errors as values for the signer: a typed code the caller can branch on and
// a sentence for people. Messages name files, fields and participants, never
// the bytes of a key, share or nonce: anything here may end up in a log line
// or a report. Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace sonde::signer {

enum class ErrorCode {
  kInvalidArgument,       // the caller broke a precondition (t > n, empty list ...)
  kInvalidEncoding,       // bytes, hex, base64 or JSON that do not parse
  kInvalidPoint,          // not a canonical curve point in the prime-order subgroup
  kIdentityPoint,         // the identity element where a real point is required
  kNonCanonicalScalar,    // a scalar encoding >= L
  kTooFewParticipants,    // fewer signers than the threshold
  kUnknownParticipant,    // an identifier the key material does not know
  kDuplicateParticipant,  // the same identifier twice
  kMissingShare,          // a committed participant sent no signature share
  kInvalidShare,          // a signature share failed verification
  kVerificationFailed,    // a signature did not verify
  kInsecurePermissions,   // a key file that group or others can access
  kAlreadyExists,         // refusing to overwrite
  kIo,                    // open/read/write/fsync failed
};

struct Error {
  ErrorCode code;
  std::string message;
  // The FROST participants this error is about (kInvalidShare, kMissingShare,
  // kUnknownParticipant, ...), ascending; empty when it is about nobody.
  std::vector<uint16_t> participants;
};

// Holds a T or an Error. Cheap to move; check ok() before value().
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// A Result with no value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  static Status Ok() { return Status(); }
  bool ok() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_{ErrorCode::kInvalidArgument, "", {}};
  bool ok_ = true;
};

inline Error MakeError(ErrorCode code, std::string message) {
  return Error{code, std::move(message), {}};
}

}  // namespace sonde::signer

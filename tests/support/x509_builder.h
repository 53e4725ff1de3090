// The OpenSSL 3 plumbing that TestCerts and BadCerts share: owning handles,
// EC P-256 keys, X509 v3 certificates with given extensions and validity,
// PEM files. Every failure throws std::runtime_error naming the OpenSSL call
// and its error queue.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sonde::testing::x509 {

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509_free>>;

struct Issuer {
  X509* cert;
  EVP_PKEY* key;
};

struct CertSpec {
  const char* common_name;
  long not_before_s;  // relative to now
  long not_after_s;
  // In order, in OpenSSL config syntax ({NID_key_usage, "critical,..."}).
  std::vector<std::pair<int, const char*>> extensions;
};

KeyPtr NewKey();  // EC P-256

// Signed by `issuer`, or by `key` itself when there is none; a random
// positive 127-bit serial.
CertPtr Issue(const CertSpec& spec, EVP_PKEY* key, std::optional<Issuer> issuer);

void WritePem(const std::string& path, X509* cert);
void WritePem(const std::string& path, EVP_PKEY* key);

// A fresh directory under the system's temporary one, named `prefix`XXXXXX.
std::string MakeTempDir(const std::string& prefix);

}  // namespace sonde::testing::x509

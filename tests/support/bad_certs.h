// Certificates a client must refuse, for TLS tests against hostile targets:
// one trusted CA and, for 127.0.0.1, a certificate that expired yesterday,
// one issued for another host, and one that signs itself. Generated
// in-process with OpenSSL 3 like TestCerts (test_certs.h), whose CA is fixed
// and whose server certificate is always valid; keys are EC P-256, files PEM
// in a fresh temporary directory that the destructor removes.
//
// Thread-safety: immutable once constructed.
#pragma once

#include <string>

namespace sonde::testing {

class BadCerts {
 public:
  // Throws std::runtime_error when anything fails.
  BadCerts();
  ~BadCerts();
  BadCerts(const BadCerts&) = delete;
  BadCerts& operator=(const BadCerts&) = delete;

  // The CA a client should trust (it signs `expired` and `wrong_host`).
  std::string ca_file() const { return dir_ + "/ca.pem"; }

  struct Pair {
    std::string cert_file;
    std::string key_file;
  };
  // Issued by the CA for 127.0.0.1, valid from two days ago until yesterday.
  Pair expired() const { return {dir_ + "/expired.pem", dir_ + "/expired.key"}; }
  // Issued by the CA, valid now, but only for "wrong.example.invalid".
  Pair wrong_host() const { return {dir_ + "/wrong_host.pem", dir_ + "/wrong_host.key"}; }
  // For 127.0.0.1 and valid now, but self-signed (the CA never saw it).
  Pair self_signed() const { return {dir_ + "/self_signed.pem", dir_ + "/self_signed.key"}; }

 private:
  std::string dir_;
};

}  // namespace sonde::testing

// A throwaway PKI for TLS tests, generated in-process with OpenSSL 3 (no
// network, no `openssl` CLI): a self-signed CA, a server certificate for
// 127.0.0.1 (IP SAN) and localhost (DNS SAN), and a client certificate, both
// signed by the CA. Keys are EC P-256. Everything is written as PEM files into
// a fresh temporary directory that the destructor removes.
//
// Thread-safety: immutable once constructed.
#pragma once

#include <string>

namespace sonde::testing {

class TestCerts {
 public:
  // Generates and writes everything; throws std::runtime_error (with
  // OpenSSL's error queue in the message) when anything fails.
  TestCerts();
  ~TestCerts();  // removes dir() and everything in it

  TestCerts(const TestCerts&) = delete;
  TestCerts& operator=(const TestCerts&) = delete;

  const std::string& dir() const { return dir_; }
  std::string ca_file() const { return dir_ + "/ca.pem"; }
  std::string server_cert_file() const { return dir_ + "/server.pem"; }
  std::string server_key_file() const { return dir_ + "/server.key"; }
  std::string client_cert_file() const { return dir_ + "/client.pem"; }
  std::string client_key_file() const { return dir_ + "/client.key"; }

 private:
  std::string dir_;
};

}  // namespace sonde::testing

#include "tests/support/test_certs.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <system_error>

#include "tests/support/x509_builder.h"

namespace sonde::testing {

using namespace x509;

namespace {
// Valid from an hour ago for a day.
constexpr long kNotBefore = -60 * 60;
constexpr long kNotAfter = 24 * 60 * 60;
}  // namespace

TestCerts::TestCerts() : dir_(MakeTempDir("sonde-certs-")) {
  // The destructor does not run when the constructor throws.
  try {
    ERR_clear_error();
    KeyPtr ca_key = NewKey();
    CertPtr ca = Issue({"sonde test CA", kNotBefore, kNotAfter,
                        {{NID_basic_constraints, "critical,CA:TRUE"},
                         {NID_key_usage, "critical,keyCertSign,cRLSign"},
                         {NID_subject_key_identifier, "hash"}}},
                       ca_key.get(), std::nullopt);
    const Issuer by_ca{ca.get(), ca_key.get()};

    KeyPtr server_key = NewKey();
    CertPtr server = Issue({"127.0.0.1", kNotBefore, kNotAfter,
                            {{NID_basic_constraints, "critical,CA:FALSE"},
                             {NID_key_usage, "critical,digitalSignature"},
                             {NID_ext_key_usage, "serverAuth"},
                             {NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost"},
                             {NID_subject_key_identifier, "hash"},
                             {NID_authority_key_identifier, "keyid:always"}}},
                           server_key.get(), by_ca);

    KeyPtr client_key = NewKey();
    CertPtr client = Issue({"sonde test client", kNotBefore, kNotAfter,
                            {{NID_basic_constraints, "critical,CA:FALSE"},
                             {NID_key_usage, "critical,digitalSignature"},
                             {NID_ext_key_usage, "clientAuth"},
                             {NID_subject_key_identifier, "hash"},
                             {NID_authority_key_identifier, "keyid:always"}}},
                           client_key.get(), by_ca);

    WritePem(ca_file(), ca.get());
    WritePem(server_cert_file(), server.get());
    WritePem(server_key_file(), server_key.get());
    WritePem(client_cert_file(), client.get());
    WritePem(client_key_file(), client_key.get());
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
    throw;
  }
}

TestCerts::~TestCerts() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

}  // namespace sonde::testing

#include "tests/support/bad_certs.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <system_error>

#include "tests/support/x509_builder.h"

namespace sonde::testing {

using namespace x509;

namespace {

constexpr long kDay = 24 * 60 * 60;

// A server certificate for `san` (and named `common_name`), valid over
// [now + from_s, now + to_s].
CertSpec Server(const char* common_name, long from_s, long to_s, const char* san) {
  return {common_name, from_s, to_s,
          {{NID_basic_constraints, "critical,CA:FALSE"},
           {NID_key_usage, "critical,digitalSignature"},
           {NID_ext_key_usage, "serverAuth"},
           {NID_subject_alt_name, san},
           {NID_subject_key_identifier, "hash"}}};
}

}  // namespace

BadCerts::BadCerts() : dir_(MakeTempDir("sonde-bad-certs-")) {
  try {
    ERR_clear_error();
    KeyPtr ca_key = NewKey();
    CertPtr ca = Issue({"sonde hostile-test CA", -kDay, 7 * kDay,
                        {{NID_basic_constraints, "critical,CA:TRUE"},
                         {NID_key_usage, "critical,keyCertSign,cRLSign"},
                         {NID_subject_key_identifier, "hash"}}},
                       ca_key.get(), std::nullopt);
    WritePem(ca_file(), ca.get());

    const auto leaf = [&](const Pair& files, const CertSpec& spec, bool self_signed) {
      KeyPtr key = NewKey();
      CertPtr cert = Issue(spec, key.get(),
                           self_signed ? std::nullopt : std::optional<Issuer>({ca.get(), ca_key.get()}));
      WritePem(files.cert_file, cert.get());
      WritePem(files.key_file, key.get());
    };
    leaf(expired(), Server("127.0.0.1", -2 * kDay, -kDay, "IP:127.0.0.1,DNS:localhost"), false);
    leaf(wrong_host(), Server("wrong.example.invalid", -kDay, kDay, "DNS:wrong.example.invalid"),
         false);
    leaf(self_signed(), Server("127.0.0.1", -kDay, kDay, "IP:127.0.0.1,DNS:localhost"), true);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
    throw;
  }
}

BadCerts::~BadCerts() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

}  // namespace sonde::testing

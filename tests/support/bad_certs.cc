#include "tests/support/bad_certs.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>  // mkdtemp

#include <cerrno>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace sonde::testing {
namespace {

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;

constexpr long kDay = 24 * 60 * 60;

[[noreturn]] void Fail(const std::string& what) {
  std::string message = "bad certs: " + what + " failed";
  while (const unsigned long code = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    message += "; ";
    message += text;
  }
  throw std::runtime_error(message);
}

void Check(int result, const char* what) {
  if (result <= 0) Fail(what);
}

KeyPtr NewKey() {
  KeyPtr key(EVP_EC_gen("P-256"));
  if (!key) Fail("EVP_EC_gen(P-256)");
  return key;
}

struct Spec {
  const char* common_name;
  long not_before_s;  // relative to now
  long not_after_s;
  const char* san;  // nullptr: none (the CA)
  bool ca = false;
};

// Signed by (issuer_cert, issuer_key), or by `key` itself when they are null.
CertPtr Issue(const Spec& spec, EVP_PKEY* key, X509* issuer_cert, EVP_PKEY* issuer_key) {
  CertPtr cert(X509_new());
  if (!cert) Fail("X509_new");
  Check(X509_set_version(cert.get(), X509_VERSION_3), "X509_set_version");
  unsigned char serial[16];
  Check(RAND_bytes(serial, sizeof serial), "RAND_bytes");
  serial[0] &= 0x7f;
  BignumPtr bn(BN_bin2bn(serial, sizeof serial, nullptr));
  if (!bn || BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get())) == nullptr) {
    Fail("serial number");
  }
  if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), spec.not_before_s) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(cert.get()), spec.not_after_s) == nullptr) {
    Fail("X509_gmtime_adj");
  }
  X509_NAME* subject = X509_get_subject_name(cert.get());
  Check(X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(spec.common_name), -1, -1,
                                   0),
        "X509_NAME_add_entry_by_txt(CN)");
  X509* signer = issuer_cert != nullptr ? issuer_cert : cert.get();
  Check(X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)), "X509_set_issuer_name");
  Check(X509_set_pubkey(cert.get(), key), "X509_set_pubkey");

  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, signer, cert.get(), nullptr, nullptr, 0);
  std::vector<std::pair<int, const char*>> extensions;
  if (spec.ca) {
    extensions = {{NID_basic_constraints, "critical,CA:TRUE"},
                  {NID_key_usage, "critical,keyCertSign,cRLSign"},
                  {NID_subject_key_identifier, "hash"}};
  } else {
    extensions = {{NID_basic_constraints, "critical,CA:FALSE"},
                  {NID_key_usage, "critical,digitalSignature"},
                  {NID_ext_key_usage, "serverAuth"},
                  {NID_subject_alt_name, spec.san},
                  {NID_subject_key_identifier, "hash"}};
  }
  for (const auto& [nid, value] : extensions) {
    ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    if (!ext) Fail(std::string("extension ") + OBJ_nid2sn(nid) + "=" + value);
    Check(X509_add_ext(cert.get(), ext.get(), -1), "X509_add_ext");
  }
  Check(X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : key, EVP_sha256()), "X509_sign");
  return cert;
}

void WritePem(const std::string& path, X509* cert) {
  BioPtr bio(BIO_new_file(path.c_str(), "w"));
  if (!bio) Fail("opening " + path);
  Check(PEM_write_bio_X509(bio.get(), cert), "PEM_write_bio_X509");
}

void WritePem(const std::string& path, EVP_PKEY* key) {
  BioPtr bio(BIO_new_file(path.c_str(), "w"));
  if (!bio) Fail("opening " + path);
  Check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr),
        "PEM_write_bio_PrivateKey");
}

std::string MakeTempDir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "sonde-bad-certs-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
  }
  return pattern;
}

}  // namespace

BadCerts::BadCerts() : dir_(MakeTempDir()) {
  try {
    ERR_clear_error();
    KeyPtr ca_key = NewKey();
    CertPtr ca = Issue({"sonde hostile-test CA", -kDay, 7 * kDay, nullptr, true}, ca_key.get(),
                       nullptr, nullptr);
    WritePem(ca_file(), ca.get());

    const auto leaf = [&](const Pair& files, const Spec& spec, bool self_signed) {
      KeyPtr key = NewKey();
      CertPtr cert = self_signed ? Issue(spec, key.get(), nullptr, nullptr)
                                 : Issue(spec, key.get(), ca.get(), ca_key.get());
      WritePem(files.cert_file, cert.get());
      WritePem(files.key_file, key.get());
    };
    leaf(expired(), {"127.0.0.1", -2 * kDay, -kDay, "IP:127.0.0.1,DNS:localhost"}, false);
    leaf(wrong_host(), {"wrong.example.invalid", -kDay, kDay, "DNS:wrong.example.invalid"}, false);
    leaf(self_signed(), {"127.0.0.1", -kDay, kDay, "IP:127.0.0.1,DNS:localhost"}, true);
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

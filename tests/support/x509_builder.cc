#include "tests/support/x509_builder.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <stdlib.h>  // mkdtemp

#include <cerrno>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace sonde::testing::x509 {
namespace {

using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;

[[noreturn]] void Fail(const std::string& what) {
  std::string message = "test certificates: " + what + " failed";
  while (const unsigned long code = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    message += "; ";
    message += text;
  }
  throw std::runtime_error(message);
}

// OpenSSL functions here return 1 (or a positive length) on success.
void Check(int result, const char* what) {
  if (result <= 0) Fail(what);
}

}  // namespace

KeyPtr NewKey() {
  KeyPtr key(EVP_EC_gen("P-256"));
  if (!key) Fail("EVP_EC_gen(P-256)");
  return key;
}

CertPtr Issue(const CertSpec& spec, EVP_PKEY* key, std::optional<Issuer> issuer) {
  CertPtr cert(X509_new());
  if (!cert) Fail("X509_new");
  Check(X509_set_version(cert.get(), X509_VERSION_3), "X509_set_version");

  // A random positive 127-bit serial, as CAs are expected to use.
  unsigned char serial[16];
  Check(RAND_bytes(serial, sizeof serial), "RAND_bytes");
  serial[0] &= 0x7f;
  BignumPtr bn(BN_bin2bn(serial, sizeof serial, nullptr));
  if (!bn) Fail("BN_bin2bn");
  if (BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get())) == nullptr) {
    Fail("BN_to_ASN1_INTEGER");
  }

  if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), spec.not_before_s) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(cert.get()), spec.not_after_s) == nullptr) {
    Fail("X509_gmtime_adj");
  }
  X509_NAME* subject = X509_get_subject_name(cert.get());
  Check(
      X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>("sonde tests"), -1, -1, 0),
      "X509_NAME_add_entry_by_txt(O)");
  Check(X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(spec.common_name), -1,
                                   -1, 0),
        "X509_NAME_add_entry_by_txt(CN)");
  Check(X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer->cert) : subject),
        "X509_set_issuer_name");
  Check(X509_set_pubkey(cert.get(), key), "X509_set_pubkey");

  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer ? issuer->cert : cert.get(), cert.get(), nullptr, nullptr, 0);
  for (const auto& [nid, value] : spec.extensions) {
    ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    if (!ext) Fail(std::string("extension ") + OBJ_nid2sn(nid) + "=" + value);
    Check(X509_add_ext(cert.get(), ext.get(), -1), "X509_add_ext");
  }
  Check(X509_sign(cert.get(), issuer ? issuer->key : key, EVP_sha256()), "X509_sign");
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

std::string MakeTempDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
  }
  return pattern;
}

}  // namespace sonde::testing::x509

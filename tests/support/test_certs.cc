#include "tests/support/test_certs.h"

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
#include <optional>
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

[[noreturn]] void Fail(const std::string& what) {
  std::string message = "test certs: " + what + " failed";
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

KeyPtr NewKey() {
  KeyPtr key(EVP_EC_gen("P-256"));
  if (!key) Fail("EVP_EC_gen(P-256)");
  return key;
}

struct Issuer {
  X509* cert;
  EVP_PKEY* key;
};

// An X509 v3 certificate for `key`, valid from an hour ago for a day, with
// the given extensions in order (in OpenSSL config syntax). Self-signed when
// `issuer` is empty.
CertPtr Issue(const char* common_name, EVP_PKEY* key, std::optional<Issuer> issuer,
              const std::vector<std::pair<int, const char*>>& extensions) {
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

  if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60 * 60) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 60 * 60) == nullptr) {
    Fail("X509_gmtime_adj");
  }
  X509_NAME* subject = X509_get_subject_name(cert.get());
  Check(
      X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>("sonde tests"), -1, -1, 0),
      "X509_NAME_add_entry_by_txt(O)");
  Check(X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0),
        "X509_NAME_add_entry_by_txt(CN)");
  Check(X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer->cert) : subject),
        "X509_set_issuer_name");
  Check(X509_set_pubkey(cert.get(), key), "X509_set_pubkey");

  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer ? issuer->cert : cert.get(), cert.get(), nullptr, nullptr, 0);
  for (const auto& [nid, value] : extensions) {
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

std::string MakeTempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "sonde-certs-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
  }
  return pattern;
}

}  // namespace

TestCerts::TestCerts() : dir_(MakeTempDir()) {
  // The destructor does not run when the constructor throws.
  try {
    ERR_clear_error();
    KeyPtr ca_key = NewKey();
    CertPtr ca = Issue("sonde test CA", ca_key.get(), std::nullopt,
                       {{NID_basic_constraints, "critical,CA:TRUE"},
                        {NID_key_usage, "critical,keyCertSign,cRLSign"},
                        {NID_subject_key_identifier, "hash"}});
    const Issuer by_ca{ca.get(), ca_key.get()};

    KeyPtr server_key = NewKey();
    CertPtr server = Issue("127.0.0.1", server_key.get(), by_ca,
                           {{NID_basic_constraints, "critical,CA:FALSE"},
                            {NID_key_usage, "critical,digitalSignature"},
                            {NID_ext_key_usage, "serverAuth"},
                            {NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost"},
                            {NID_subject_key_identifier, "hash"},
                            {NID_authority_key_identifier, "keyid:always"}});

    KeyPtr client_key = NewKey();
    CertPtr client = Issue("sonde test client", client_key.get(), by_ca,
                           {{NID_basic_constraints, "critical,CA:FALSE"},
                            {NID_key_usage, "critical,digitalSignature"},
                            {NID_ext_key_usage, "clientAuth"},
                            {NID_subject_key_identifier, "hash"},
                            {NID_authority_key_identifier, "keyid:always"}});

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

#include "reporter/report_signature.h"

#include <boost/json.hpp>

#include "signer/encoding.h"

namespace sonde {
namespace {

constexpr std::string_view kDomain = "sonde.report.v1\n";
constexpr std::string_view kHtmlMarker = "<!-- sonde-signature ed25519 ";
constexpr std::string_view kCsvMarker = "# sonde-signature ed25519 ";
constexpr std::string_view kJsonHead = "{\"report\":\n";
constexpr std::string_view kJsonTail = ",\n\"signature\": ";

std::string Message(std::string_view report) {
  std::string m(kDomain);
  m += report;
  return m;
}

std::span<const uint8_t> Bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

ReportCheck Check(std::string_view body, std::string_view key_hex, std::string_view sig_hex,
                  const std::optional<signer::PublicKey>& expected) {
  ReportCheck out;
  auto key = signer::PublicKeyFromHex(key_hex, "the signature's public_key");
  if (!key.ok()) {
    out.problem = key.error().message;
    return out;
  }
  out.signer = key.value();
  auto sig = signer::SignatureFromHex(sig_hex, "the signature");
  if (!sig.ok()) {
    out.problem = sig.error().message;
    return out;
  }
  if (expected && *expected != key.value()) {
    out.problem = "signed by " + signer::ToHex(key.value()) + ", not by the expected key " +
                  signer::ToHex(*expected);
    return out;
  }
  if (!signer::Verify(key.value(), Bytes(Message(body)), sig.value()).ok()) {
    out.problem = "the signature does not match the content: the report was changed after signing";
    return out;
  }
  out.ok = true;
  return out;
}

// "public_key=HEX signature=HEX" at `p`.
bool ParseFields(std::string_view line, std::string_view& key, std::string_view& sig) {
  constexpr std::string_view kKey = "public_key=", kSig = " signature=";
  if (line.substr(0, kKey.size()) != kKey) return false;
  line.remove_prefix(kKey.size());
  const size_t split = line.find(kSig);
  if (split == line.npos) return false;
  key = line.substr(0, split);
  sig = line.substr(split + kSig.size());
  const size_t end = sig.find_first_of(" \r\n");
  sig = sig.substr(0, end);
  return true;
}

}  // namespace

std::string SignReport(const std::string& report, ReportFormat format,
                       const signer::KeyPair& key) {
  const signer::Signature sig = key.Sign(Bytes(Message(report)));
  const std::string key_hex = signer::ToHex(key.public_key());
  const std::string sig_hex = signer::ToHex(sig);
  switch (format) {
    case ReportFormat::kJson:
      return std::string(kJsonHead) + report + std::string(kJsonTail) +
             "{\"algorithm\": \"ed25519\", \"public_key\": \"" + key_hex + "\", \"value\": \"" +
             sig_hex + "\"}}\n";
    case ReportFormat::kCsv:
      return report + std::string(kCsvMarker) + "public_key=" + key_hex + " signature=" + sig_hex +
             "\r\n";
    case ReportFormat::kHtml:
    case ReportFormat::kMarkdown:
      return report + std::string(kHtmlMarker) + "public_key=" + key_hex +
             " signature=" + sig_hex + " -->\n";
  }
  return report;
}

ReportCheck VerifySignedReport(std::string_view file,
                               const std::optional<signer::PublicKey>& expected) {
  ReportCheck none;
  if (file.substr(0, kJsonHead.size()) == kJsonHead) {
    const size_t tail = file.rfind(kJsonTail);
    if (tail == file.npos || tail < kJsonHead.size()) {
      none.problem = "a JSON report without its \"signature\" member";
      return none;
    }
    const std::string_view body = file.substr(kJsonHead.size(), tail - kJsonHead.size());
    std::string_view rest = file.substr(tail + kJsonTail.size());
    // The signature object, then the wrapper's closing brace.
    while (!rest.empty() && (rest.back() == '\n' || rest.back() == ' ')) rest.remove_suffix(1);
    if (rest.empty() || rest.back() != '}') {
      none.problem = "the JSON report's wrapper is not closed";
      return none;
    }
    rest.remove_suffix(1);
    boost::system::error_code ec;
    const boost::json::value sig = boost::json::parse(rest, ec);
    const auto* obj = ec ? nullptr : sig.if_object();
    const auto* key = obj ? obj->if_contains("public_key") : nullptr;
    const auto* value = obj ? obj->if_contains("value") : nullptr;
    const auto* alg = obj ? obj->if_contains("algorithm") : nullptr;
    if (!key || !key->is_string() || !value || !value->is_string() || !alg ||
        *alg != "ed25519") {
      none.problem = "the JSON report's \"signature\" is not {algorithm: ed25519, public_key, value}";
      return none;
    }
    return Check(body, key->get_string(), value->get_string(), expected);
  }
  // A trailer line: the last one that starts with a marker, whichever the
  // marker (a CSV report may hold a line that starts like an HTML trailer).
  size_t at = file.npos;
  std::string_view marker;
  for (std::string_view m : {kHtmlMarker, kCsvMarker}) {
    const size_t i = file.rfind(m);
    if (i == file.npos || (i > 0 && file[i - 1] != '\n')) continue;
    if (at == file.npos || i > at) {
      at = i;
      marker = m;
    }
  }
  if (at != file.npos) {
    std::string_view line = file.substr(at + marker.size());
    const size_t eol = line.find('\n');
    if (eol == line.npos || eol + 1 != line.size()) {
      none.problem = "the signature line is not the file's last line";
      return none;
    }
    std::string_view key, sig;
    if (!ParseFields(line.substr(0, eol), key, sig)) {
      none.problem = "the signature line is malformed";
      return none;
    }
    return Check(file.substr(0, at), key, sig, expected);
  }
  none.problem = "no sonde signature found (was the report written with --sign?)";
  return none;
}

}  // namespace sonde

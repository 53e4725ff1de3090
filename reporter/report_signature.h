// Signed reports. The signature is Ed25519 over a domain tag and the exact
// bytes of the unsigned report, and travels inside the file with the
// signer's public key, so the file alone can be checked (and checked
// against a known key with --pubkey):
//   HTML, Markdown  a last line  <!-- sonde-signature ed25519 public_key=HEX signature=HEX -->
//   CSV             a last line  # sonde-signature ed25519 public_key=HEX signature=HEX
//   JSON            {"report":\n<the report>,\n"signature": {"algorithm": "ed25519",
//                    "public_key": "HEX", "value": "HEX"}}
// Any edited byte (in the report, the key or the signature) fails.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "reporter/report_format.h"
#include "signer/ed25519.h"

namespace sonde {

std::string SignReport(const std::string& report, ReportFormat format, const signer::KeyPair& key);

struct ReportCheck {
  bool ok = false;
  std::string problem;             // why not, when !ok
  std::optional<signer::PublicKey> signer;  // the key in the file, when one was found
};

// Finds the signature in `file` (any of the layouts above) and checks it;
// with `expected`, the file's key must also be that one.
ReportCheck VerifySignedReport(std::string_view file,
                               const std::optional<signer::PublicKey>& expected);

}  // namespace sonde

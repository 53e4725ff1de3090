// Signed reports (reporter/report_signature.h): VerifySignedReport on an
// arbitrary file, and the promises around it.
//
// The first byte picks the mode; the rest is the file or the report.
//   mode 0: the rest is a file to verify, with and without an expected key.
//   mode 1-3: the rest is a report; it is signed in the format the byte
//     names, and must verify, by that key; then one byte of the report
//     part is changed and it must not.
// A trailer format (HTML, Markdown, CSV) puts the signature on the report's
// last line, so those reports are taken to end with a newline, as every
// renderer's do, and not to begin like the JSON wrapper.
#include "fuzz/fuzz_input.h"
#include "reporter/report_signature.h"

namespace {

const sonde::signer::KeyPair& Key() {
  static const sonde::signer::KeyPair key = [] {
    std::array<uint8_t, 32> seed{};
    for (size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<uint8_t>(i * 7 + 1);
    return sonde::signer::KeyPair::FromSeed(seed).value();
  }();
  return key;
}

void CheckConsistent(const sonde::ReportCheck& c) {
  FUZZ_CHECK(c.ok == c.problem.empty());
  if (c.ok) FUZZ_CHECK(c.signer.has_value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t mode = data[0];
  const std::string_view rest = sonde::fuzz::AsText(data + 1, size - 1);
  const sonde::signer::PublicKey key = Key().public_key();

  if (mode % 4 == 0) {
    const sonde::ReportCheck any = sonde::VerifySignedReport(rest, std::nullopt);
    const sonde::ReportCheck mine = sonde::VerifySignedReport(rest, key);
    CheckConsistent(any);
    CheckConsistent(mine);
    // An expected key narrows, never widens, what verifies.
    if (mine.ok) FUZZ_CHECK(any.ok && *mine.signer == key);
    if (any.ok && *any.signer == key) FUZZ_CHECK(mine.ok);
    return 0;
  }

  static constexpr sonde::ReportFormat kFormats[] = {
      sonde::ReportFormat::kJson, sonde::ReportFormat::kCsv, sonde::ReportFormat::kHtml,
      sonde::ReportFormat::kMarkdown};
  const sonde::ReportFormat format = kFormats[(mode >> 2) % 4];
  std::string report(rest);
  if (format != sonde::ReportFormat::kJson) {
    // A trailer-format report that begins like the JSON wrapper is read as
    // JSON; no renderer writes one.
    if (!report.empty() && report.back() != '\n') report += '\n';
    if (report.starts_with("{\"report\":\n")) return 0;
  }
  const std::string file = sonde::SignReport(report, format, Key());
  const sonde::ReportCheck signed_ok = sonde::VerifySignedReport(file, key);
  CheckConsistent(signed_ok);
  FUZZ_CHECK(signed_ok.ok);
  FUZZ_CHECK(*signed_ok.signer == key);

  if (report.empty()) return 0;
  // One changed byte of the report: the byte at `mode`'s position, XORed
  // with a value that is never 0.
  const size_t report_at = format == sonde::ReportFormat::kJson ? file.find('\n') + 1 : 0;
  const size_t at = report_at + (mode * 131u + size) % report.size();
  std::string edited = file;
  edited[at] = static_cast<char>(edited[at] ^ ((mode >> 4) | 1));
  const sonde::ReportCheck after = sonde::VerifySignedReport(edited, std::nullopt);
  CheckConsistent(after);
  FUZZ_CHECK(!after.ok);
  return 0;
}

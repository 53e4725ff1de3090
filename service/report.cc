// `sonde report` and `sonde report verify`.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/unix_time.h"
#include "reporter/report_render.h"
#include "reporter/report_signature.h"
#include "reporter/report_source.h"
#include "service/commands.h"
#include "service/load.h"
#include "service/output_file.h"
#include "signer/encoding.h"
#include "signer/key_file.h"

namespace sonde {
int CommandReport(const ReportOptions& o) {
  const std::optional<ReportFormat> format = ReportFormatFromString(o.format);
  if (!format) {
    std::fprintf(stderr, "--format: unknown format \"%s\" (use html, md, json or csv)\n",
                 o.format.c_str());
    return 2;
  }
  const int64_t now = NowUnixMicros();
  std::string why;
  const std::optional<int64_t> from = ParseReportTime(o.from, now, /*end_of_day=*/false, &why);
  if (!from) {
    std::fprintf(stderr, "--from: %s\n", why.c_str());
    return 2;
  }
  const std::optional<int64_t> to = ParseReportTime(o.to, now, /*end_of_day=*/true, &why);
  if (!to) {
    std::fprintf(stderr, "--to: %s\n", why.c_str());
    return 2;
  }
  if (*to <= *from) {
    std::fprintf(stderr, "--from %s is not before --to %s\n", o.from.c_str(), o.to.c_str());
    return 2;
  }
  const std::shared_ptr<const Config> loaded = LoadConfigOrReport(o.config_path, stderr);
  if (!loaded) return 2;
  const Config& config = *loaded;
  if (!config.store) {
    std::fprintf(stderr, "%s: no [store] table: there is no result store to report from\n",
                 o.config_path.c_str());
    return 2;
  }
  if (config.slos.empty()) {
    std::fprintf(stderr, "%s: warning: no [slo.*] tables; the report lists faults and drills only\n",
                 o.config_path.c_str());
  }
  std::optional<signer::KeyPair> key;
  if (!o.sign_key.empty()) {
    auto loaded_key = signer::LoadKeyFile(o.sign_key);
    if (!loaded_key.ok()) {
      std::fprintf(stderr, "--sign: %s\n", loaded_key.error().message.c_str());
      return 2;
    }
    key = std::move(loaded_key).value();
  }
  std::string text;
  try {
    ResultStore store(config.store->dir, ResultStore::Mode::kReadOnly);
    const SlaReport report =
        ReportFromStore(store, config, {*from, *to}, o.exclude_drills, now);
    text = RenderReport(report, *format);
  } catch (const StoreError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  if (key) text = SignReport(text, *format, *key);
  if (auto error = WriteOutput(o.out, text)) {
    std::fprintf(stderr, "%s\n", error->c_str());
    return 2;
  }
  if (!o.out.empty()) {
    std::fprintf(stderr, "wrote %s (%s, %zu bytes%s)\n", o.out.c_str(),
                 std::string(ToString(*format)).c_str(), text.size(), key ? ", signed" : "");
  }
  return 0;
}

int CommandReportVerify(const std::string& path, const std::string& pubkey_hex) {
  std::optional<signer::PublicKey> expected;
  if (!pubkey_hex.empty()) {
    auto key = signer::PublicKeyFromHex(pubkey_hex, "--pubkey");
    if (!key.ok()) {
      std::fprintf(stderr, "%s\n", key.error().message.c_str());
      return 2;
    }
    expected = key.value();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    return 2;
  }
  std::ostringstream content;
  content << in.rdbuf();
  const ReportCheck check = VerifySignedReport(content.str(), expected);
  if (!check.ok) {
    std::printf("%s: NOT VERIFIED: %s\n", path.c_str(), check.problem.c_str());
    return 1;
  }
  std::printf("%s: signature OK (ed25519, signed by %s)\n", path.c_str(),
              signer::ToHex(*check.signer).c_str());
  return 0;
}

}  // namespace sonde

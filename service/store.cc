// `sonde store verify`: walks the result store's hash chains.
#include <cstdio>

#include "reporter/result_store.h"
#include "service/commands.h"
#include "service/load.h"
#include "signer/encoding.h"

namespace sonde {

int CommandStoreVerify(const std::string& config_path, const std::string& dir_option,
                       const std::string& pubkey_hex) {
  std::string dir = dir_option;
  if (dir.empty()) {
    const std::shared_ptr<const Config> loaded = LoadConfigOrReport(config_path, stderr);
    if (!loaded) return 2;
    if (!loaded->store) {
      std::fprintf(stderr, "%s: no [store] table: this config keeps no result store\n",
                   config_path.c_str());
      return 2;
    }
    dir = loaded->store->dir;
  }
  std::optional<signer::PublicKey> key;
  if (!pubkey_hex.empty()) {
    auto parsed = signer::PublicKeyFromHex(pubkey_hex, "--pubkey");
    if (!parsed.ok()) {
      std::fprintf(stderr, "%s\n", parsed.error().message.c_str());
      return 2;
    }
    key = parsed.value();
  } else {
    key = StorePublicKey(dir);
  }
  try {
    ResultStore store(dir, ResultStore::Mode::kReadOnly);
    const VerifyReport v = store.Verify(key);
    if (!v.ok) {
      std::printf("%s: NOT VERIFIED: %s\n", store.db_path().c_str(), v.problem.c_str());
      return 1;
    }
    std::printf("%s: OK: %lld runs, %lld fault events, %lld drill events, %lld checkpoints",
                store.db_path().c_str(), static_cast<long long>(v.runs),
                static_cast<long long>(v.fault_events), static_cast<long long>(v.drill_events),
                static_cast<long long>(v.checkpoints));
    if (v.pruned_rows > 0) {
      std::printf(" (%lld older rows pruned under signed checkpoints)",
                  static_cast<long long>(v.pruned_rows));
    }
    std::printf("\n");
    return 0;
  } catch (const StoreError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
}

}  // namespace sonde

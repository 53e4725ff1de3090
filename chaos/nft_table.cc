#include "chaos/nft_table.h"

#include <nftables/libnftables.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace sonde::chaos {
namespace {

std::mutex g_mu;
// Kept for the life of the process: the `owner` table lives as long as this
// context's netlink socket.
nft_ctx* g_ctx = nullptr;
bool g_table = false;

// Runs `commands`; the error text libnftables gives, when it fails.
std::optional<std::string> Run(const std::string& commands) {
  if (!g_ctx) {
    g_ctx = nft_ctx_new(NFT_CTX_DEFAULT);
    if (!g_ctx) return "cannot start libnftables";
    nft_ctx_buffer_error(g_ctx);
    nft_ctx_buffer_output(g_ctx);
  }
  if (nft_run_cmd_from_buffer(g_ctx, commands.c_str()) != 0) {
    std::string error = nft_ctx_get_error_buffer(g_ctx);
    while (!error.empty() && error.back() == '\n') error.pop_back();
    return "nftables: " + error;
  }
  return std::nullopt;
}

}  // namespace

std::string OwnTableName() { return "sonde_" + std::to_string(::getpid()); }

std::optional<std::string> NftAddDrops(const std::string& name,
                                       const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::lock_guard lock(g_mu);
  const std::string table = OwnTableName();
  std::string commands;
  if (!g_table) commands += "add table inet " + table + " { flags owner; }\n";
  for (const char* hook : {"forward", "output"}) {
    const std::string chain = name + (std::string(hook) == "forward" ? "_fwd" : "_out");
    commands += "add chain inet " + table + " " + chain + " { type filter hook " + hook +
                " priority -10; policy accept; }\n";
    for (const auto& [a, b] : pairs) {
      commands += "add rule inet " + table + " " + chain + " ip saddr " + a + " ip daddr " + b + " drop\n";
    }
  }
  if (auto why = Run(commands)) return why;
  g_table = true;
  return std::nullopt;
}

std::optional<std::string> NftDeleteDrops(const std::string& table, const std::string& name) {
  std::lock_guard lock(g_mu);
  if (table != OwnTableName()) {
    // Another process's table: owner tables go with their process, and only
    // it may change them. If that process is gone, so is the table.
    if (Run("list table inet " + table + "\n")) return std::nullopt;  // gone
    return "table inet " + table + " belongs to a running sonde process; it reverts its own faults";
  }
  if (!g_table) return std::nullopt;
  for (const char* suffix : {"_fwd", "_out"}) {
    if (auto why = Run("delete chain inet " + table + " " + name + suffix + "\n")) {
      if (why->find("No such file") == std::string::npos) return why;
    }
  }
  return std::nullopt;
}

}  // namespace sonde::chaos

#include "probes/wallet_probe.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <charconv>

#include "probes/http_probe.h"
#include "probes/wallets.h"

namespace sonde {
namespace {

int64_t DayNow() {
  using namespace std::chrono;
  return duration_cast<days>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

boost::asio::awaitable<ProbeResult> ProbeWallet(ProbeEnv& env, const ProbeRequest& request) {
  const WalletStep& step = std::get<WalletStep>(request.step.action);
  ProbeResult result;
  if (!step.spec || !env.wallets) {
    result.failure = Reason::kInternal;
    result.detail = "wallet \"" + step.wallet + "\" is not set up";
    co_return result;
  }
  const WalletSpec& spec = *step.spec;
  Wallets::State& state = env.wallets->Of(spec.name);

  std::string spend_text, missing;
  step.spend.Render(request.vars, spend_text, &missing);
  uint64_t spend = 0;
  auto [end, ec] = std::from_chars(spend_text.data(), spend_text.data() + spend_text.size(), spend);
  if (ec != std::errc() || end != spend_text.data() + spend_text.size()) {
    result.failure = Reason::kInternal;
    result.detail = "wallet " + spec.name + ": \"spend\" is \"" + spend_text + "\", not an amount";
    co_return result;
  }

  IntegerRead balance = co_await ReadJsonInteger(env, request, spec.balance, "wallet balance");
  if (!balance.value) {
    result.failure = balance.failure;
    result.detail = balance.detail;
    co_return result;
  }
  result.wallet_balance = static_cast<double>(*balance.value);
  const uint64_t have = static_cast<uint64_t>(std::max<int64_t>(*balance.value, 0));
  if (have < spec.floor || have < spend) {
    result.failure = Reason::kWallet;
    result.detail = "wallet " + spec.name + " holds " + std::to_string(have) +
                    ", below its floor of " + std::to_string(spec.floor) + " (refill it)";
    co_return result;
  }
  if (state.day != DayNow()) {
    state.day = DayNow();
    state.spent_today = 0;
  }
  if (spec.daily_spend_cap > 0 && state.spent_today + spend > spec.daily_spend_cap) {
    result.failure = Reason::kWallet;
    result.detail = "wallet " + spec.name + " spent " + std::to_string(state.spent_today) +
                    " today; " + std::to_string(spend) + " more passes its daily cap of " +
                    std::to_string(spec.daily_spend_cap);
    co_return result;
  }
  if (!state.next_nonce) {
    IntegerRead nonce = co_await ReadJsonInteger(env, request, spec.nonce, "wallet nonce");
    if (!nonce.value) {
      result.failure = nonce.failure;
      result.detail = nonce.detail;
      co_return result;
    }
    state.next_nonce = static_cast<uint64_t>(std::max<int64_t>(*nonce.value, 0));
  }
  const uint64_t nonce = (*state.next_nonce)++;
  state.spent_today += spend;

  // The run's variables already hold every key's public key.
  const std::string* public_key = request.vars("keys." + spec.key + ".public");
  const std::string address = public_key ? *public_key : "";
  boost::json::object body{{"nonce", nonce}, {"balance", *balance.value}, {"address", address}};
  result.body = boost::json::serialize(body);
  co_return result;
}

}  // namespace sonde

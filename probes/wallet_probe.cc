#include "probes/wallet_probe.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <limits>

#include "probes/chain_value.h"
#include "probes/wallets.h"

namespace sonde {
namespace {

int64_t DayNow() {
  using namespace std::chrono;
  return duration_cast<days>(system_clock::now().time_since_epoch()).count();
}

// A JSON value for an amount: a number while it fits int64 (what readers of
// the devnet's answers expect), else its exact decimal text.
boost::json::value AmountJson(const Int256& v) {
  if (v >= std::numeric_limits<int64_t>::min() && v <= std::numeric_limits<int64_t>::max())
    return v.convert_to<int64_t>();
  return boost::json::string(ToDecimal(v));
}

ProbeResult Refuse(Reason reason, std::string detail) {
  ProbeResult r;
  r.failure = reason;
  r.detail = std::move(detail);
  return r;
}

}  // namespace

boost::asio::awaitable<ProbeResult> ProbeWallet(ProbeEnv& env, const ProbeRequest& request) {
  const WalletStep& step = std::get<WalletStep>(request.step.action);
  if (!step.spec || !env.wallets) {
    co_return Refuse(Reason::kInternal, "wallet \"" + step.wallet + "\" is not set up");
  }
  const WalletSpec& spec = *step.spec;
  const std::string name = "wallet " + spec.name;

  std::string spend_text, missing;
  step.spend.Render(request.vars, spend_text, &missing);
  const std::optional<Int256> spend = ParseInteger(spend_text);
  if (!spend || *spend < 0) {
    co_return Refuse(Reason::kInternal,
                     name + ": \"spend\" is \"" + spend_text + "\", not an amount");
  }
  // Checked at load; a bad value here is a bug, not the network's fault.
  const Int256 floor = ParseInteger(spec.floor).value_or(0);
  const Int256 cap = ParseInteger(spec.daily_spend_cap).value_or(0);

  IntegerRead balance = co_await ReadChainInteger(env, request, spec.balance, "wallet balance");
  if (!balance.value) co_return Refuse(balance.failure, balance.detail);
  ProbeResult result;
  result.wallet_balance = balance.value->convert_to<double>();  // a gauge; exact below
  const Int256 have = *balance.value;
  if (have < floor || have < *spend) {
    // An empty wallet is sonde's own problem: infra_error, never the network's.
    result.failure = Reason::kWallet;
    result.detail = name + " holds " + ToDecimal(have) +
                    (have < floor ? ", below its floor of " + ToDecimal(floor)
                                  : ", less than this run's spend of " + ToDecimal(*spend)) +
                    " (refill it)";
    co_return result;
  }
  Wallets::State& state = env.wallets->Of(spec.name);
  if (state.day != DayNow()) {
    state.day = DayNow();
    state.spent_today = 0;
  }
  if (cap > 0 && state.spent_today + *spend > cap) {
    result.failure = Reason::kWallet;
    result.detail = name + " spent " + ToDecimal(state.spent_today) + " today; " +
                    ToDecimal(*spend) + " more passes its daily cap of " + ToDecimal(cap);
    co_return result;
  }

  // The chain's next nonce, read every run: a transaction sent from the same
  // key outside sonde moves it on, and the next run must not reuse that
  // nonce. Locally reserved nonces stay ahead of it while this process's own
  // transactions are still on their way.
  IntegerRead chain = co_await ReadChainInteger(env, request, spec.nonce, "wallet nonce");
  if (!chain.value) co_return Refuse(chain.failure, chain.detail);
  if (*chain.value < 0 || *chain.value > std::numeric_limits<int64_t>::max()) {
    co_return Refuse(Reason::kInvalidResponse,
                     name + ": the chain's nonce " + ToDecimal(*chain.value) + " is out of range");
  }
  // `state` is read again after the wait: another run may have reserved a
  // nonce meanwhile (std::map keeps the reference valid).
  const uint64_t from_chain = chain.value->convert_to<uint64_t>();
  if (!state.next_nonce || *state.next_nonce < from_chain) state.next_nonce = from_chain;
  const uint64_t nonce = (*state.next_nonce)++;
  state.spent_today += *spend;

  // The run's variables already hold every key's public values.
  const std::string* address = request.vars("keys." + spec.key + ".address");
  if (!address) address = request.vars("keys." + spec.key + ".public");
  boost::json::object body{{"nonce", nonce},
                           {"balance", AmountJson(have)},
                           {"address", address ? *address : ""}};
  result.body = boost::json::serialize(body);
  co_return result;
}

}  // namespace sonde

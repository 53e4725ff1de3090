#include "probes/frost_probe.h"

#include <sodium.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>
#include <mutex>

#include "core/json_answer.h"
#include "probes/http_probe.h"
#include "signer/encoding.h"
#include "signer/frost/coordinator.h"
#include "signer/frost/wire.h"

namespace sonde {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
namespace frost = signer::frost;
using Clock = std::chrono::steady_clock;

// One signer node as the coordinator sees it.
struct Signer {
  std::string url;
  uint16_t id = 0;      // 0 until its group info said
  Duration elapsed{};   // over the rounds it took part in
  std::string failure;  // "", "absent", "late", "invalid_share"
  std::string detail;
};

// The signer endpoints (signer/ENCODING.md, devnet/API.md), compiled once.
const Template& Path(std::string_view path) {
  static const Template group = *Template::Compile("/v1/mpc/group");
  static const Template round1 = *Template::Compile("/v1/mpc/round1");
  static const Template round2 = *Template::Compile("/v1/mpc/round2");
  return path == "group" ? group : path == "round1" ? round1 : round2;
}

// One HTTP call to a signer, within `deadline`, with the group's headers as
// every HTTP-based kind sends them.
asio::awaitable<ProbeResult> Call(ProbeEnv& env, const ProbeRequest& request,
                                  const std::string& url, const std::string& method,
                                  const Template& path, std::string body,
                                  Clock::time_point deadline) {
  ProbeRequest to_signer{request.step, request.group, url, request.vars, deadline, request.keys};
  ProbeResult prepared;
  HttpRequest http;
  if (!PrepareHttpRequest(to_signer, method, path, {}, http, prepared)) co_return prepared;
  if (!body.empty()) SetHeader(http.headers, "Content-Type", "application/json");
  http.body = std::move(body);
  http.max_response_bytes = 64 * 1024;
  co_return co_await SendHttp(env, to_signer, std::move(http));
}

// Runs `call(i)` for every index concurrently and waits for all: each call
// is bounded by its own deadline, so this ends.
template <class Fn>
asio::awaitable<void> ForEachConcurrently(size_t n, Fn call) {
  auto executor = co_await asio::this_coro::executor;
  size_t remaining = n;
  asio::steady_timer all_done(executor, Clock::time_point::max());
  for (size_t i = 0; i < n; ++i) {
    asio::co_spawn(
        executor,
        [&, i]() -> asio::awaitable<void> {
          co_await call(i);
          if (--remaining == 0) all_done.cancel();
        },
        asio::detached);
  }
  if (remaining > 0) co_await all_done.async_wait(asio::as_tuple(asio::use_awaitable));
}

// Records a failed call as late (timed out) or absent (anything else).
void MarkFailed(Signer& s, const ProbeResult& r, std::string_view round) {
  s.failure = r.failure == Reason::kTimeout ? "late" : "absent";
  s.detail =
      std::string(round) + ": " +
      (r.failure == Reason::kNone ? "HTTP " + std::to_string(r.status) + " " + r.body.substr(0, 120)
                                  : r.detail);
}

struct Group {
  frost::PublicKeyPackage keys;
  std::string public_key_hex;
};

// Parses a node's GET /v1/mpc/group answer; sets the node's id.
std::optional<Group> ParseGroup(const std::string& body, Signer& s, std::string* why) {
  boost::system::error_code ec;
  json::value doc = ParseAnswer(body, ec);
  const json::object* o = ec ? nullptr : doc.if_object();
  if (!o || !o->contains("identifier") || !o->contains("threshold") ||
      !o->contains("group_public_key") || !o->contains("verifying_shares") ||
      !o->at("identifier").is_int64() || !o->at("threshold").is_int64() ||
      !o->at("group_public_key").is_string() || !o->at("verifying_shares").is_object()) {
    *why = "group info is not {identifier, threshold, group_public_key, verifying_shares}";
    return std::nullopt;
  }
  Group g;
  s.id = static_cast<uint16_t>(o->at("identifier").get_int64());
  g.keys.min_signers = static_cast<uint16_t>(o->at("threshold").get_int64());
  g.public_key_hex = std::string(o->at("group_public_key").get_string());
  auto decode = [&](std::string_view hex, std::string_view what) -> std::optional<frost::Point> {
    auto bytes = signer::FromHex(hex, what);
    if (!bytes.ok()) {
      *why = bytes.error().message;
      return std::nullopt;
    }
    auto point = frost::Point::Decode(bytes.value(), what);
    if (!point.ok()) {
      *why = point.error().message;
      return std::nullopt;
    }
    return point.value();
  };
  auto gpk = decode(g.public_key_hex, "group_public_key");
  if (!gpk) return std::nullopt;
  g.keys.group_public_key = *gpk;
  for (const auto& [key, value] : o->at("verifying_shares").get_object()) {
    if (!value.is_string()) {
      *why = "verifying share " + std::string(key) + " is not a string";
      return std::nullopt;
    }
    auto point = decode(value.get_string(), "verifying_shares/" + std::string(key));
    if (!point) return std::nullopt;
    g.keys.verifying_shares[static_cast<uint16_t>(std::stoi(std::string(key)))] = *point;
  }
  return g;
}

// Identifiers learned per signer URL, so that a node that is down can still
// be named by its participant id (learned while it was up).
class KnownIdentifiers {
 public:
  void Remember(const std::string& url, uint16_t id) {
    std::lock_guard lock(mu_);
    ids_[url] = id;
  }
  uint16_t Find(const std::string& url) {
    std::lock_guard lock(mu_);
    auto it = ids_.find(url);
    return it == ids_.end() ? 0 : it->second;
  }

 private:
  std::mutex mu_;
  std::map<std::string, uint16_t> ids_;  // guarded by mu_
};

KnownIdentifiers& Known() {
  static KnownIdentifiers known;
  return known;
}

std::string Names(const std::vector<Signer*>& signers) {
  std::string out;
  for (const Signer* s : signers) {
    if (!out.empty()) out += ", ";
    const uint16_t id = s->id ? s->id : Known().Find(s->url);
    out += (id ? "participant " + std::to_string(id) + " " : std::string()) + "(" + s->url + ")";
  }
  return out;
}

std::string RandomSession() {
  uint8_t bytes[12];
  randombytes_buf(bytes, sizeof bytes);
  return "sonde-" + signer::ToHex(bytes);
}

void Report(const std::vector<Signer>& signers, ProbeResult& result) {
  for (const Signer& s : signers) {
    const uint16_t id = s.id ? s.id : Known().Find(s.url);
    result.participants.push_back({id, s.url, s.elapsed, s.failure});
  }
}

}  // namespace

asio::awaitable<ProbeResult> ProbeFrost(ProbeEnv& env, const ProbeRequest& request) {
  const FrostStep& spec = std::get<FrostStep>(request.step.action);
  ProbeResult result;
  auto fail = [&](Reason reason, std::string detail) {
    result.failure = reason;
    result.detail = std::move(detail);
  };
  auto round_deadline = [&] { return std::min(request.deadline, Clock::now() + spec.deadline); };

  std::vector<Signer> signers;
  for (const std::string& url : spec.signer_group.urls) {
    Signer s;
    s.url = url;
    signers.push_back(std::move(s));
  }

  // 1. Who is there, and the group.
  std::vector<std::optional<Group>> groups(signers.size());
  const Clock::time_point d1 = round_deadline();
  co_await ForEachConcurrently(signers.size(), [&](size_t i) -> asio::awaitable<void> {
    const Clock::time_point start = Clock::now();
    ProbeResult r = co_await Call(env, request, signers[i].url, "GET", Path("group"), "", d1);
    signers[i].elapsed += Clock::now() - start;
    if (r.failure != Reason::kNone || r.status != 200) {
      MarkFailed(signers[i], r, "group");
      co_return;
    }
    std::string why;
    groups[i] = ParseGroup(r.body, signers[i], &why);
    if (!groups[i]) {
      signers[i].failure = "absent";
      signers[i].detail = "group: " + why;
    } else {
      Known().Remember(signers[i].url, signers[i].id);
    }
  });
  const Group* group = nullptr;
  for (size_t i = 0; i < signers.size(); ++i) {
    if (!groups[i]) continue;
    if (!group) group = &*groups[i];
    // Every node must describe the same group (and the pinned one, if any).
    const std::string& want =
        spec.group_public_key.empty() ? group->public_key_hex : spec.group_public_key;
    if (groups[i]->public_key_hex != want) {
      fail(Reason::kSignatureInvalid, "participant " + std::to_string(signers[i].id) + " (" +
                                          signers[i].url + ") reports group public key " +
                                          groups[i]->public_key_hex + ", expected " + want);
      Report(signers, result);
      co_return result;
    }
  }

  // 2. Round 1 with the chosen participants.
  std::vector<Signer*> chosen, missing;
  for (Signer& s : signers) {
    const bool wanted = spec.participants.empty() ||
                        std::find(spec.participants.begin(), spec.participants.end(), s.id) !=
                            spec.participants.end();
    if (!s.failure.empty()) {
      missing.push_back(&s);
    } else if (wanted) {
      chosen.push_back(&s);
    }
  }
  const size_t threshold = group ? group->keys.min_signers : 1;
  if (!group || chosen.size() < threshold) {
    // The group says who its participants are: the ones not heard from are
    // named by identifier even when this process never saw them up.
    std::string silent_ids;
    if (group) {
      for (const auto& [id, share] : group->keys.verifying_shares) {
        bool heard = false;
        for (const Signer& s : signers) heard = heard || (s.id == id && s.failure.empty());
        if (!heard) silent_ids += (silent_ids.empty() ? "" : ", ") + std::to_string(id);
      }
    }
    fail(Reason::kQuorumNotReached,
         "group info from " + std::to_string(chosen.size()) + " of " +
             std::to_string(signers.size()) + " signers (threshold " + std::to_string(threshold) +
             "); " +
             (silent_ids.empty() ? "" : "participants " + silent_ids + " absent or late; ") +
             "unanswered: " + Names(missing));
    Report(signers, result);
    co_return result;
  }
  const std::string session = RandomSession();
  json::object round1_request;
  round1_request["session"] = session;
  const std::string round1_body = json::serialize(round1_request);
  std::vector<std::optional<frost::SigningCommitment>> commitments(chosen.size());
  const Clock::time_point d2 = round_deadline();
  co_await ForEachConcurrently(chosen.size(), [&](size_t i) -> asio::awaitable<void> {
    const Clock::time_point start = Clock::now();
    ProbeResult r =
        co_await Call(env, request, chosen[i]->url, "POST", Path("round1"), round1_body, d2);
    chosen[i]->elapsed += Clock::now() - start;
    if (r.failure != Reason::kNone || r.status != 200) {
      MarkFailed(*chosen[i], r, "round 1");
      co_return;
    }
    auto message = frost::ParseRound1Message(r.body);
    if (!message.ok() || message->session != session ||
        message->commitment.identifier != chosen[i]->id) {
      chosen[i]->failure = "absent";
      chosen[i]->detail = "round 1: " + (message.ok() ? std::string("wrong session or identifier")
                                                      : message.error().message);
      co_return;
    }
    commitments[i] = message->commitment;
  });
  std::vector<frost::SigningCommitment> committed;
  std::vector<Signer*> signing;
  for (size_t i = 0; i < chosen.size(); ++i) {
    if (commitments[i]) {
      committed.push_back(*commitments[i]);
      signing.push_back(chosen[i]);
    } else {
      missing.push_back(chosen[i]);
    }
  }
  if (committed.size() < threshold) {
    fail(Reason::kQuorumNotReached, std::to_string(committed.size()) + " commitments, threshold " +
                                        std::to_string(threshold) +
                                        "; absent or late: " + Names(missing));
    Report(signers, result);
    co_return result;
  }

  // 3. Round 2: the package goes to every participant that committed.
  auto list = frost::CommitmentList::Make(committed);
  if (!list.ok()) {
    fail(Reason::kInvalidResponse, "round 1: " + list.error().message);
    Report(signers, result);
    co_return result;
  }
  frost::SigningPackage package{std::move(list).value(), {}};
  if (spec.message.empty()) {
    package.message.resize(32);
    randombytes_buf(package.message.data(), package.message.size());
  } else {
    std::string hex;
    spec.message.Render(request.vars, hex);
    auto bytes = signer::FromHex(hex, "message");
    if (!bytes.ok()) {
      fail(Reason::kInvalidResponse, "the message to sign: " + bytes.error().message);
      Report(signers, result);
      co_return result;
    }
    package.message = std::move(bytes).value();
  }
  const std::string round2_body = frost::ToJson(frost::Round2Request{session, package});
  std::vector<std::optional<frost::SignatureShare>> shares(signing.size());
  const Clock::time_point d3 = round_deadline();
  co_await ForEachConcurrently(signing.size(), [&](size_t i) -> asio::awaitable<void> {
    const Clock::time_point start = Clock::now();
    ProbeResult r =
        co_await Call(env, request, signing[i]->url, "POST", Path("round2"), round2_body, d3);
    signing[i]->elapsed += Clock::now() - start;
    if (r.failure != Reason::kNone || r.status != 200) {
      MarkFailed(*signing[i], r, "round 2");
      co_return;
    }
    auto response = frost::ParseRound2Response(r.body);
    if (!response.ok() || response->session != session ||
        response->share.identifier != signing[i]->id) {
      signing[i]->failure = "absent";
      signing[i]->detail = "round 2: " + (response.ok() ? std::string("wrong session or identifier")
                                                        : response.error().message);
      co_return;
    }
    shares[i] = response->share;
  });
  std::vector<frost::SignatureShare> received;
  std::vector<Signer*> silent;
  for (size_t i = 0; i < signing.size(); ++i) {
    if (shares[i]) {
      received.push_back(*shares[i]);
    } else {
      silent.push_back(signing[i]);
    }
  }
  if (!silent.empty()) {
    // RFC 9591 needs a share from every participant that committed.
    for (Signer* s : silent) missing.push_back(s);
    fail(Reason::kQuorumNotReached,
         "round 2: no share from " + Names(silent) + "; absent or late: " + Names(missing));
    Report(signers, result);
    co_return result;
  }

  // 4. Verify each share, aggregate, verify the signature.
  auto signature = frost::Aggregate(group->keys, package, received);
  if (!signature.ok()) {
    const signer::Error& e = signature.error();
    std::vector<Signer*> blamed;
    for (uint16_t id : e.participants) {
      for (Signer* s : signing) {
        if (s->id == id) {
          s->failure = "invalid_share";
          s->detail = e.message;
          blamed.push_back(s);
        }
      }
    }
    fail(e.code == signer::ErrorCode::kInvalidShare ? Reason::kSignatureInvalid
                                                    : Reason::kInvalidResponse,
         (blamed.empty() ? e.message : "invalid signature share from " + Names(blamed)));
    Report(signers, result);
    co_return result;
  }
  json::object body{{"signature", signer::ToHex(signature.value())},
                    {"group_public_key", group->public_key_hex},
                    {"message", signer::ToHex(package.message)},
                    {"participants", json::array(committed.size())}};
  json::array& ids = body["participants"].as_array();
  for (size_t i = 0; i < committed.size(); ++i) ids[i] = committed[i].identifier;
  result.body = json::serialize(body);
  // What an auditor checks the round by: the group's signature and what it signed.
  result.evidence = {{"signature", signer::ToHex(signature.value())},
                     {"message", signer::ToHex(package.message)}};
  Report(signers, result);
  co_return result;
}

}  // namespace sonde

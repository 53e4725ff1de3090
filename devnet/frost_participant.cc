#include "devnet/frost_participant.h"

#include <sodium.h>

#include <boost/json.hpp>

#include "net/json_response.h"
#include "signer/encoding.h"
#include "signer/frost/hash.h"
#include "signer/frost/participant.h"

namespace sonde::devnet {

namespace frost = signer::frost;
namespace http = boost::beast::http;
namespace json = boost::json;

Result<std::unique_ptr<FrostParticipant>> FrostParticipant::Load(const std::string& share_path) {
  auto share = LoadFrostShareFile(share_path);
  if (!share.ok()) return Fail(share.error());
  return std::unique_ptr<FrostParticipant>(new FrostParticipant(std::move(share.value())));
}

json::object FrostParticipant::GroupJson() const {
  json::array participants;
  json::object shares;
  for (const auto& [id, point] : share_.group.verifying_shares) {
    participants.push_back(id);
    shares[std::to_string(id)] = signer::ToHex(point.bytes());
  }
  return json::object{{"ciphersuite", frost::kContextString},
                      {"identifier", share_.key.identifier},
                      {"threshold", share_.group.min_signers},
                      {"participants", std::move(participants)},
                      {"group_public_key", signer::ToHex(share_.group.group_public_key.bytes())},
                      {"verifying_shares", std::move(shares)}};
}

void FrostParticipant::Prune() {
  const auto now = Clock::now();
  std::erase_if(sessions_, [&](const auto& kv) { return kv.second.expires <= now; });
}

std::variant<frost::Round1Message, net::Response> FrostParticipant::Round1(std::string session) {
  Prune();
  if (session.empty()) {
    uint8_t random[12];
    randombytes_buf(random, sizeof random);
    session = "n" + std::to_string(identifier()) + "-" + signer::ToHex(random);
  }
  if (session.size() > frost::kMaxSessionSize) {
    return net::ErrorResponse(
        http::status::bad_request, "malformed",
        "/session: at most " + std::to_string(frost::kMaxSessionSize) + " characters");
  }
  if (sessions_.contains(session)) {
    return net::ErrorResponse(http::status::conflict, "session_exists",
                         "session " + session + " already has round-1 nonces on this node");
  }
  if (sessions_.size() >= kMaxSessions) {
    return net::ErrorResponse(http::status::service_unavailable, "too_many_sessions",
                         "this node holds " + std::to_string(sessions_.size()) +
                             " open sessions; finish or abandon some (they expire after " +
                             std::to_string(kSessionTtl.count()) + " s)");
  }
  frost::SigningNonces nonces = frost::Commit(share_.key);
  frost::Round1Message out{session, nonces.commitment};
  sessions_.emplace(session, Session{std::move(nonces), Clock::now() + kSessionTtl});
  return out;
}

std::variant<frost::Round2Response, net::Response> FrostParticipant::Round2(
    const frost::Round2Request& request, bool corrupt) {
  Prune();
  auto it = sessions_.find(request.session);
  if (it == sessions_.end()) {
    return net::ErrorResponse(http::status::not_found, "unknown_session",
                         "no round-1 nonces for session " + request.session +
                             " on this node (never committed, expired, or already used)");
  }
  // Out of the table before signing: whatever happens next, these nonces
  // can never sign again.
  auto node = sessions_.extract(it);
  auto share = frost::Sign(share_.key, std::move(node.mapped().nonces), request.package);
  if (!share.ok()) {
    return net::ErrorResponse(http::status::unprocessable_entity, "refused", share.error().message);
  }
  frost::SignatureShare s = share.value();
  if (corrupt) s.share = s.share + frost::Scalar::FromU64(1);  // the drill hook
  return frost::Round2Response{request.session, s};
}

}  // namespace sonde::devnet

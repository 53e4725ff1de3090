// A devnet node as a FROST signer: it holds one share from the trusted
// dealer and answers the two rounds of a signing session for whichever
// coordinator asks (sonde's MPC journey, the tests), in the wire format of
// signer/frost/wire.h. Round-1 nonces stay in memory under the session id
// until round 2 uses them — at most once: they are taken out of the table
// before signing and destroyed whatever the outcome. Sessions are bounded in
// number and expire, so abandoned rounds cannot grow the node's memory.
// Thread-safety: the node's io_context thread only.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <variant>

#include "devnet/frost_share_file.h"
#include "net/http_server.h"
#include "signer/frost/wire.h"

namespace sonde::devnet {

class FrostParticipant {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr size_t kMaxSessions = 1024;
  static constexpr std::chrono::seconds kSessionTtl{120};

  static Result<std::unique_ptr<FrostParticipant>> Load(const std::string& share_path);

  signer::frost::Identifier identifier() const { return share_.key.identifier; }

  // {"ciphersuite", "identifier", "threshold", "participants", "group_public_key",
  //  "verifying_shares": {"1": hex, ...}}
  boost::json::object GroupJson() const;

  // Round 1 for `session` (empty: the node names one). Fails if the session
  // already has nonces or the table is full.
  std::variant<signer::frost::Round1Message, net::Response> Round1(std::string session);

  // Round 2: signs with the session's nonces, which are gone afterwards.
  // With `corrupt` (the drill hook) the share is deliberately wrong.
  std::variant<signer::frost::Round2Response, net::Response> Round2(
      const signer::frost::Round2Request& request, bool corrupt);

 private:
  explicit FrostParticipant(FrostShare share) : share_(std::move(share)) {}
  void Prune();

  struct Session {
    signer::frost::SigningNonces nonces;
    Clock::time_point expires;
  };
  FrostShare share_;
  std::map<std::string, Session> sessions_;
};

}  // namespace sonde::devnet

#include "signer/frost/wire.h"

#include <boost/json.hpp>
#include <initializer_list>

#include "signer/encoding.h"
#include "signer/frost/hash.h"

namespace sonde::signer::frost {
namespace json = boost::json;
namespace {

Error Bad(std::string message) {
  return MakeError(ErrorCode::kInvalidEncoding, std::move(message));
}

json::object Header(const std::string& session) {
  return json::object{{"ciphersuite", kContextString}, {"session", session}};
}

void PutCommitment(json::object& o, const SigningCommitment& c) {
  o["identifier"] = c.identifier;
  o["hiding"] = ToHex(c.hiding.bytes());
  o["binding"] = ToHex(c.binding.bytes());
}

// Field access with the JSON path of the field in every error.
class Fields {
 public:
  Fields(const json::object& o, std::string path) : o_(o), path_(std::move(path)) {}

  Status OnlyKeys(std::initializer_list<std::string_view> keys) const {
    for (const auto& kv : o_) {
      bool known = false;
      for (std::string_view k : keys) known = known || kv.key() == k;
      if (!known) return Bad(path_ + "/" + std::string(kv.key()) + ": unknown field");
    }
    return Status::Ok();
  }

  Result<const json::value*> Get(std::string_view key) const {
    const json::value* v = o_.if_contains(key);
    if (v == nullptr) return Bad(Path(key) + ": missing");
    return v;
  }

  Result<std::string> String(std::string_view key) const {
    Result<const json::value*> v = Get(key);
    if (!v.ok()) return v.error();
    if (!v.value()->is_string()) return Bad(Path(key) + ": must be a string");
    const json::string& s = v.value()->get_string();
    return std::string(s.data(), s.size());
  }

  Result<Identifier> Id(std::string_view key) const {
    Result<const json::value*> v = Get(key);
    if (!v.ok()) return v.error();
    const json::value& n = *v.value();
    const bool in_range = (n.is_int64() && n.get_int64() >= 1 && n.get_int64() <= 0xffff) ||
                          (n.is_uint64() && n.get_uint64() >= 1 && n.get_uint64() <= 0xffff);
    if (!in_range) return Bad(Path(key) + ": must be an integer from 1 to 65535");
    return static_cast<Identifier>(n.is_int64() ? n.get_int64() : n.get_uint64());
  }

  Result<std::vector<uint8_t>> Hex(std::string_view key) const {
    Result<std::string> s = String(key);
    if (!s.ok()) return s.error();
    return FromHex(s.value(), Path(key));
  }

  Result<Point> Element(std::string_view key) const {
    Result<std::vector<uint8_t>> b = Hex(key);
    if (!b.ok()) return b.error();
    return Point::Decode(b.value(), Path(key));
  }

  std::string Path(std::string_view key) const { return path_ + "/" + std::string(key); }

 private:
  const json::object& o_;
  std::string path_;
};

Result<json::object> ParseObject(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return Bad("not valid JSON: " + ec.message());
  if (!v.is_object()) return Bad("the message must be a JSON object");
  return std::move(v.as_object());
}

Result<std::string> CheckHeader(const Fields& f) {
  Result<std::string> suite = f.String("ciphersuite");
  if (!suite.ok()) return suite.error();
  if (suite.value() != kContextString) {
    return Bad("/ciphersuite: expected \"" + std::string(kContextString) + "\"");
  }
  Result<std::string> session = f.String("session");
  if (!session.ok()) return session.error();
  if (session.value().empty() || session.value().size() > kMaxSessionSize) {
    return Bad("/session: must be 1 to " + std::to_string(kMaxSessionSize) + " characters");
  }
  return session;
}

Result<SigningCommitment> ReadCommitment(const Fields& f) {
  SigningCommitment c;
  Result<Identifier> id = f.Id("identifier");
  if (!id.ok()) return id.error();
  c.identifier = id.value();
  Result<Point> hiding = f.Element("hiding");
  if (!hiding.ok()) return hiding.error();
  c.hiding = hiding.value();
  Result<Point> binding = f.Element("binding");
  if (!binding.ok()) return binding.error();
  c.binding = binding.value();
  return c;
}

}  // namespace

std::string ToJson(const Round1Message& m) {
  json::object o = Header(m.session);
  PutCommitment(o, m.commitment);
  return json::serialize(o);
}

std::string ToJson(const Round2Request& m) {
  json::object o = Header(m.session);
  o["message"] = ToHex(m.package.message);
  json::array list;
  for (const SigningCommitment& c : m.package.commitments.commitments()) {
    json::object e;
    PutCommitment(e, c);
    list.push_back(std::move(e));
  }
  o["commitments"] = std::move(list);
  return json::serialize(o);
}

std::string ToJson(const Round2Response& m) {
  json::object o = Header(m.session);
  o["identifier"] = m.share.identifier;
  o["share"] = ToHex(m.share.share.bytes());
  return json::serialize(o);
}

Result<Round1Message> ParseRound1Message(std::string_view text) {
  Result<json::object> o = ParseObject(text);
  if (!o.ok()) return o.error();
  Fields f(o.value(), "");
  if (Status s = f.OnlyKeys({"ciphersuite", "session", "identifier", "hiding", "binding"}); !s.ok())
    return s.error();
  Result<std::string> session = CheckHeader(f);
  if (!session.ok()) return session.error();
  Result<SigningCommitment> c = ReadCommitment(f);
  if (!c.ok()) return c.error();
  return Round1Message{std::move(session).value(), c.value()};
}

Result<Round2Request> ParseRound2Request(std::string_view text) {
  Result<json::object> o = ParseObject(text);
  if (!o.ok()) return o.error();
  Fields f(o.value(), "");
  if (Status s = f.OnlyKeys({"ciphersuite", "session", "message", "commitments"}); !s.ok())
    return s.error();
  Result<std::string> session = CheckHeader(f);
  if (!session.ok()) return session.error();
  Result<std::vector<uint8_t>> message = f.Hex("message");
  if (!message.ok()) return message.error();
  Result<const json::value*> list = f.Get("commitments");
  if (!list.ok()) return list.error();
  if (!list.value()->is_array()) return Bad("/commitments: must be an array");
  std::vector<SigningCommitment> commitments;
  const json::array& items = list.value()->get_array();
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string path = "/commitments/" + std::to_string(i);
    if (!items[i].is_object()) return Bad(path + ": must be an object");
    Fields e(items[i].get_object(), path);
    if (Status s = e.OnlyKeys({"identifier", "hiding", "binding"}); !s.ok()) return s.error();
    Result<SigningCommitment> c = ReadCommitment(e);
    if (!c.ok()) return c.error();
    commitments.push_back(c.value());
  }
  Result<CommitmentList> cl = CommitmentList::Make(std::move(commitments));
  if (!cl.ok()) return cl.error();
  return Round2Request{std::move(session).value(),
                       SigningPackage{std::move(cl).value(), std::move(message).value()}};
}

Result<Round2Response> ParseRound2Response(std::string_view text) {
  Result<json::object> o = ParseObject(text);
  if (!o.ok()) return o.error();
  Fields f(o.value(), "");
  if (Status s = f.OnlyKeys({"ciphersuite", "session", "identifier", "share"}); !s.ok())
    return s.error();
  Result<std::string> session = CheckHeader(f);
  if (!session.ok()) return session.error();
  Result<Identifier> id = f.Id("identifier");
  if (!id.ok()) return id.error();
  Result<std::vector<uint8_t>> bytes = f.Hex("share");
  if (!bytes.ok()) return bytes.error();
  Result<Scalar> share = Scalar::Decode(bytes.value(), "/share");
  if (!share.ok()) return share.error();
  return Round2Response{std::move(session).value(), SignatureShare{id.value(), share.value()}};
}

}  // namespace sonde::signer::frost

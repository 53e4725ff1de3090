#include "devnet/json_fields.h"

#include <boost/json/parse.hpp>

#include "signer/encoding.h"

namespace sonde::devnet {

namespace json = boost::json;

namespace {
std::string Path(std::string_view key) { return "/" + std::string(key); }
}  // namespace

Result<json::object> ParseObject(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return Fail("body is not valid JSON: " + ec.message());
  if (!v.is_object()) return Fail("body must be a JSON object");
  return std::move(v.get_object());
}

Status JsonFields::OnlyKeys(std::initializer_list<std::string_view> keys) const {
  for (const auto& kv : o_) {
    bool known = false;
    for (std::string_view k : keys) known = known || kv.key() == k;
    if (!known) return Fail(Path(kv.key()) + ": unknown field");
  }
  return Status::Ok();
}

Result<const json::value*> JsonFields::Get(std::string_view key) const {
  const json::value* v = o_.if_contains(key);
  if (v == nullptr) return Fail(Path(key) + ": missing");
  return v;
}

Result<std::string> JsonFields::String(std::string_view key) const {
  auto v = Get(key);
  if (!v.ok()) return Fail(v.error());
  if (!v.value()->is_string()) return Fail(Path(key) + ": must be a string");
  return std::string(v.value()->get_string());
}

Result<uint64_t> JsonFields::U64(std::string_view key) const {
  auto v = Get(key);
  if (!v.ok()) return Fail(v.error());
  const json::value& n = *v.value();
  if (n.is_uint64()) return n.get_uint64();
  if (n.is_int64() && n.get_int64() >= 0) return static_cast<uint64_t>(n.get_int64());
  return Fail(Path(key) + ": must be an integer from 0 to 18446744073709551615");
}

Result<bool> JsonFields::Bool(std::string_view key) const {
  auto v = Get(key);
  if (!v.ok()) return Fail(v.error());
  if (!v.value()->is_bool()) return Fail(Path(key) + ": must be true or false");
  return v.value()->get_bool();
}

Result<std::vector<uint8_t>> JsonFields::Hex(std::string_view key, size_t max_bytes) const {
  auto s = String(key);
  if (!s.ok()) return Fail(s.error());
  if (s->size() > 2 * max_bytes) {
    return Fail(Path(key) + ": at most " + std::to_string(max_bytes) + " bytes");
  }
  auto bytes = signer::FromHex(s.value(), Path(key));
  if (!bytes.ok()) return Fail(bytes.error().message);
  return std::move(bytes.value());
}

Result<signer::PublicKey> JsonFields::Key(std::string_view key) const {
  auto s = String(key);
  if (!s.ok()) return Fail(s.error());
  auto k = signer::PublicKeyFromHex(s.value(), Path(key));
  if (!k.ok()) return Fail(k.error().message);
  return k.value();
}

Result<signer::Signature> JsonFields::Sig(std::string_view key) const {
  auto s = String(key);
  if (!s.ok()) return Fail(s.error());
  auto sig = signer::SignatureFromHex(s.value(), Path(key));
  if (!sig.ok()) return Fail(sig.error().message);
  return sig.value();
}

}  // namespace sonde::devnet

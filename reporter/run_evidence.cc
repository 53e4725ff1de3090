#include "reporter/run_evidence.h"

#include <boost/json.hpp>
#include <set>

#include "scenarios/journey_result.h"

namespace sonde {
namespace {

// The length of the valid UTF-8 character at the start of `s` (RFC 3629: no
// overlong forms, no surrogates, nothing past U+10FFFF); 0 when there is
// none. Hand-written: none of our libraries validates UTF-8 on its own.
size_t Utf8CharLength(std::string_view s) {
  const auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the second byte's range
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (s.size() < n || b(1) < lo || b(1) > hi) return 0;
  for (size_t i = 2; i < n; ++i) {
    if (b(i) < 0x80 || b(i) > 0xBF) return 0;
  }
  return n;
}

std::string BoundValue(std::string_view v) {
  std::string out;
  out.reserve(std::min(v.size(), kMaxEvidenceValue));
  while (!v.empty()) {
    size_t n = Utf8CharLength(v);
    const bool valid = n > 0;
    if (!valid) n = 1;
    if (out.size() + (valid ? n : 1) > kMaxEvidenceValue) break;
    if (valid) {
      out.append(v.substr(0, n));
    } else {
      out += '?';
    }
    v.remove_prefix(n);
  }
  return out;
}

bool NeedsQuoting(std::string_view v) {
  if (v.empty()) return true;
  for (char c : v) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == ' ' || c == '=' || c == '"' ||
        c == '\\') {
      return true;
    }
  }
  return false;
}

}  // namespace

bool IsEvidenceName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Evidence BoundEvidence(const Evidence& in) {
  Evidence out;
  std::set<std::string_view> seen;
  for (const auto& [name, value] : in) {
    if (out.size() == kMaxEvidence) break;
    if (!IsEvidenceName(name) || !seen.insert(name).second) continue;
    out.emplace_back(name, BoundValue(value));
  }
  return out;
}

boost::json::object EvidenceObject(const Evidence& e) {
  boost::json::object o;
  o.reserve(e.size());
  // emplace keeps the first of a repeated name; the object keeps insertion order.
  for (const auto& [name, value] : e) o.emplace(name, value);
  return o;
}

std::string EvidenceToJson(const Evidence& e) {
  if (e.empty()) return {};
  return boost::json::serialize(EvidenceObject(e));
}

Evidence EvidenceFromJson(std::string_view json) {
  Evidence out;
  if (json.empty()) return out;
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(json, ec);
  if (ec || !v.is_object()) return out;
  for (const auto& member : v.get_object()) {
    if (!member.value().is_string()) continue;
    out.emplace_back(std::string(member.key()), std::string(member.value().get_string()));
  }
  return out;
}

std::string EvidenceText(const Evidence& e) {
  std::string out;
  for (const auto& [name, value] : e) {
    if (!out.empty()) out += ' ';
    out += name;
    out += '=';
    out += NeedsQuoting(value) ? boost::json::serialize(boost::json::string_view(value)) : value;
  }
  return out;
}

}  // namespace sonde

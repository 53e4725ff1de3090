#include "chaos/proxy/toxic.h"

#include <array>
#include <boost/json/value.hpp>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>

namespace sonde::fault_proxy {

namespace json = boost::json;

namespace {

// One integer attribute: its JSON key, where it lives, and its upper bound
// (which also keeps time arithmetic far from overflow).
template <class T>
struct Field {
  std::string_view key;
  int64_t T::*member;
  int64_t max;
};

constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr int64_t kNoMax = std::numeric_limits<int64_t>::max();

// The attribute table of each toxic type, in the variant's order.
template <class T>
struct Kind;
template <>
struct Kind<LatencyToxic> {
  static constexpr std::string_view kType = "latency";
  static constexpr std::array<Field<LatencyToxic>, 2> kFields{
      {{"latency", &LatencyToxic::latency_ms, kDayMs},
       {"jitter", &LatencyToxic::jitter_ms, kDayMs}}};
};
template <>
struct Kind<BandwidthToxic> {
  static constexpr std::string_view kType = "bandwidth";
  static constexpr std::array<Field<BandwidthToxic>, 1> kFields{
      {{"rate", &BandwidthToxic::rate_kb_per_s, kNoMax / 1'000'000}}};
};
template <>
struct Kind<SlowCloseToxic> {
  static constexpr std::string_view kType = "slow_close";
  static constexpr std::array<Field<SlowCloseToxic>, 1> kFields{
      {{"delay", &SlowCloseToxic::delay_ms, kDayMs}}};
};
template <>
struct Kind<TimeoutToxic> {
  static constexpr std::string_view kType = "timeout";
  static constexpr std::array<Field<TimeoutToxic>, 1> kFields{
      {{"timeout", &TimeoutToxic::timeout_ms, kDayMs}}};
};
template <>
struct Kind<ResetPeerToxic> {
  static constexpr std::string_view kType = "reset_peer";
  static constexpr std::array<Field<ResetPeerToxic>, 1> kFields{
      {{"timeout", &ResetPeerToxic::timeout_ms, kDayMs}}};
};
template <>
struct Kind<SlicerToxic> {
  static constexpr std::string_view kType = "slicer";
  static constexpr std::array<Field<SlicerToxic>, 3> kFields{
      {{"average_size", &SlicerToxic::average_size, kNoMax},
       {"size_variation", &SlicerToxic::size_variation, kNoMax},
       {"delay", &SlicerToxic::delay_us, kDayMs * 1000}}};
};
template <>
struct Kind<LimitDataToxic> {
  static constexpr std::string_view kType = "limit_data";
  static constexpr std::array<Field<LimitDataToxic>, 1> kFields{
      {{"bytes", &LimitDataToxic::bytes, kNoMax}}};
};

template <class T>
std::string FieldList() {
  std::string list;
  for (const auto& f : Kind<T>::kFields) {
    if (!list.empty()) list += ", ";
    list += f.key;
  }
  return list;
}

// A JSON number that is a whole value: 100, 100.0 and 1e2 all are.
std::optional<int64_t> AsInteger(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) {
    if (v.get_uint64() > static_cast<uint64_t>(kNoMax)) return std::nullopt;
    return static_cast<int64_t>(v.get_uint64());
  }
  if (v.is_double()) {
    const double d = v.get_double();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.2e18) {
      return static_cast<int64_t>(d);
    }
  }
  return std::nullopt;
}

std::string Describe(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string:
      return "a string";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::null:
      return "null";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
    default:
      return "a number that is not a whole number in range";
  }
}

// Sets the attributes in `attrs` on `t`; every key must be one of T's.
template <class T>
ApiError ParseAttributes(const json::object& attrs, T* t) {
  for (const auto& [key, value] : attrs) {
    const Field<T>* field = nullptr;
    for (const auto& f : Kind<T>::kFields) {
      if (f.key == std::string_view(key)) field = &f;
    }
    if (!field) {
      return BadRequest("bad request body: unknown attribute \"" + std::string(key) + "\" for " +
                        std::string(Kind<T>::kType) + " (it takes " + FieldList<T>() + ")");
    }
    const std::string name = "attributes." + std::string(key);
    const auto n = AsInteger(value);
    if (!n)
      return BadRequest("bad request body: " + name + " must be an integer, got " +
                        Describe(value));
    if (*n < 0) {
      return BadRequest("bad request body: " + name + " must be >= 0, got " + std::to_string(*n));
    }
    if (*n > field->max) {
      return BadRequest("bad request body: " + name + " must be <= " + std::to_string(field->max) +
                        ", got " + std::to_string(*n));
    }
    t->*(field->member) = *n;
  }
  return {};
}

// Checks that involve more than one attribute.
ApiError Validate(const ToxicKind& kind) {
  if (const auto* s = std::get_if<SlicerToxic>(&kind)) {
    if (s->average_size < 1) {
      return BadRequest("bad request body: attributes.average_size must be at least 1, got " +
                        std::to_string(s->average_size));
    }
    if (s->size_variation >= s->average_size) {
      return BadRequest(
          "bad request body: attributes.size_variation must be smaller than "
          "attributes.average_size (" +
          std::to_string(s->size_variation) + " >= " + std::to_string(s->average_size) + ")");
    }
  }
  return {};
}

ApiError ParseAttributesOf(const json::value* attrs, ToxicKind* kind) {
  if (!attrs || attrs->is_null()) return {};
  if (!attrs->is_object()) {
    return BadRequest("bad request body: attributes must be an object, got " + Describe(*attrs));
  }
  return std::visit([&](auto& t) { return ParseAttributes(attrs->get_object(), &t); }, *kind);
}

// The variant alternative whose type name is `type`, default-constructed.
template <size_t I = 0>
std::optional<ToxicKind> KindNamed(std::string_view type) {
  if constexpr (I == std::variant_size_v<ToxicKind>) {
    return std::nullopt;
  } else {
    using T = std::variant_alternative_t<I, ToxicKind>;
    if (Kind<T>::kType == type) return ToxicKind(std::in_place_index<I>);
    return KindNamed<I + 1>(type);
  }
}

template <size_t I = 0>
std::string TypeList() {
  if constexpr (I == std::variant_size_v<ToxicKind>) {
    return "";
  } else {
    using T = std::variant_alternative_t<I, ToxicKind>;
    std::string rest = TypeList<I + 1>();
    return std::string(Kind<T>::kType) + (rest.empty() ? "" : ", " + rest);
  }
}

ApiError ParseToxicity(const json::value& v, double* out) {
  if (!v.is_number()) {
    return BadRequest("bad request body: toxicity must be a number from 0 to 1, got " +
                      Describe(v));
  }
  const double t = v.to_number<double>();
  if (!(t >= 0.0 && t <= 1.0)) {
    char text[32];
    const auto end = std::to_chars(text, text + sizeof(text), t).ptr;
    return BadRequest("bad request body: toxicity must be a number from 0 to 1, got " +
                      std::string(text, end));
  }
  *out = t;
  return {};
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string_view ToString(Stream stream) {
  return stream == Stream::kUpstream ? "upstream" : "downstream";
}

std::string_view TypeName(const ToxicKind& kind) {
  return std::visit([](const auto& t) { return Kind<std::decay_t<decltype(t)>>::kType; }, kind);
}

ApiError ParseNewToxic(const json::value& body, Toxic* out) {
  if (!body.is_object()) return BadRequest("bad request body: expected a JSON object");
  const json::object& o = body.get_object();
  Toxic toxic;

  const json::value* type = o.if_contains("type");
  if (!type || !type->is_string()) {
    return BadRequest("invalid toxic type: type must be one of " + TypeList());
  }
  auto kind = KindNamed(std::string_view(type->get_string()));
  if (!kind) {
    return BadRequest("invalid toxic type: \"" + std::string(type->get_string()) +
                      "\" (use one of " + TypeList() + ")");
  }
  toxic.kind = std::move(*kind);

  if (const json::value* stream = o.if_contains("stream"); stream && !stream->is_null()) {
    const std::string s = stream->is_string() ? Lower(stream->get_string()) : "";
    if (s == "upstream") {
      toxic.stream = Stream::kUpstream;
    } else if (s == "downstream") {
      toxic.stream = Stream::kDownstream;
    } else {
      return BadRequest("stream was invalid, can be either upstream or downstream");
    }
  }

  if (const json::value* name = o.if_contains("name"); name && !name->is_null()) {
    if (!name->is_string()) return BadRequest("bad request body: name must be a string");
    toxic.name = std::string(name->get_string());
  }
  if (toxic.name.empty()) {
    toxic.name = std::string(TypeName(toxic.kind)) + "_" + std::string(ToString(toxic.stream));
  }

  if (const json::value* t = o.if_contains("toxicity"); t && !t->is_null()) {
    if (auto e = ParseToxicity(*t, &toxic.toxicity); !e.ok()) return e;
  }
  if (auto e = ParseAttributesOf(o.if_contains("attributes"), &toxic.kind); !e.ok()) return e;
  if (auto e = Validate(toxic.kind); !e.ok()) return e;
  *out = std::move(toxic);
  return {};
}

ApiError ApplyToxicUpdate(const json::value& body, Toxic* toxic) {
  if (!body.is_object()) return BadRequest("bad request body: expected a JSON object");
  const json::object& o = body.get_object();
  Toxic updated = *toxic;
  if (const json::value* t = o.if_contains("toxicity"); t && !t->is_null()) {
    if (auto e = ParseToxicity(*t, &updated.toxicity); !e.ok()) return e;
  }
  if (auto e = ParseAttributesOf(o.if_contains("attributes"), &updated.kind); !e.ok()) return e;
  if (auto e = Validate(updated.kind); !e.ok()) return e;
  *toxic = std::move(updated);
  return {};
}

json::value ToJson(const Toxic& toxic) {
  json::object attributes;
  std::visit(
      [&](const auto& t) {
        for (const auto& f : Kind<std::decay_t<decltype(t)>>::kFields) {
          attributes[f.key] = t.*(f.member);
        }
      },
      toxic.kind);
  json::object o;
  o["attributes"] = std::move(attributes);
  o["name"] = toxic.name;
  o["type"] = TypeName(toxic.kind);
  o["stream"] = ToString(toxic.stream);
  o["toxicity"] = toxic.toxicity;
  return o;
}

}  // namespace sonde::fault_proxy

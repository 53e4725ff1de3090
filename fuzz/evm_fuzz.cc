// The EVM-facing decoders and encoders, each with an invariant:
//   mode 0  core/integer.h: ParseInteger / ParseUint64 / ParseInt64 agree,
//           and ToDecimal and ToHexQuantity print what parses back.
//   mode 1  signer/encoding.h: hex, base64 and base58 decode strictly, and
//           decoding then encoding gives the text again; bytes survive
//           encoding then decoding.
//   mode 2  reading an integer from a JSON-RPC answer, as
//           probes/chain_value.cc's ReadChainInteger does once the answer
//           has arrived (ParseAnswer, the JSON pointer, then ParseInteger):
//           first line the pointer, the rest the answer.
//   mode 3  signer/rlp.h: items built from the input (byte strings,
//           integers, nested lists) are encoded, and a strict decoder
//           written here must read back the same tree from canonical RLP.
// The first byte picks the mode.
#include <boost/json/serialize.hpp>
#include <charconv>
#include <limits>
#include <memory>

#include "core/integer.h"
#include "core/json_answer.h"
#include "fuzz/fuzz_input.h"
#include "signer/encoding.h"
#include "signer/rlp.h"

namespace {

using sonde::Int256;

std::optional<Int256> Parse(std::string_view t) { return sonde::ParseInteger(t); }

void CheckPrinting(const Int256& v) {
  FUZZ_CHECK(Parse(sonde::ToDecimal(v)) == v);
  const std::string hex = sonde::ToHexQuantity(v);
  const std::string_view digits = std::string_view(hex).substr(v < 0 ? 3 : 2);
  FUZZ_CHECK(!digits.empty() && (digits == "0" || digits[0] != '0'));
  if (v >= 0) {
    FUZZ_CHECK(hex.starts_with("0x"));
    FUZZ_CHECK(Parse(hex) == v);
  } else {
    FUZZ_CHECK(hex.starts_with("-0x"));
    FUZZ_CHECK(!Parse(hex));  // hex has no sign
    FUZZ_CHECK(Parse(hex.substr(1)) == -v);
  }
}

bool AllOf(std::string_view s, bool (*pred)(char)) {
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

void Integers(std::string_view t) {
  const std::optional<Int256> v = Parse(t);
  const std::optional<uint64_t> u = sonde::ParseUint64(t);
  const std::optional<int64_t> i = sonde::ParseInt64(t);
  if (!v) {
    FUZZ_CHECK(!u && !i);
  } else {
    CheckPrinting(*v);
    const bool fits_u = *v >= 0 && *v <= std::numeric_limits<uint64_t>::max();
    const bool fits_i =
        *v >= std::numeric_limits<int64_t>::min() && *v <= std::numeric_limits<int64_t>::max();
    FUZZ_CHECK(u.has_value() == fits_u);
    FUZZ_CHECK(i.has_value() == fits_i);
    if (u) FUZZ_CHECK(Int256(*u) == *v);
    if (i) FUZZ_CHECK(Int256(*i) == *v);
  }
  // An independent reading of the spellings that must be accepted.
  std::string_view digits = t;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) digits.remove_prefix(1);
  if (!digits.empty() && AllOf(digits, IsDigit) && digits.size() <= 19) {
    uint64_t ref = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), ref);
    FUZZ_CHECK(v && *v == (t[0] == '-' ? Int256(-Int256(ref)) : Int256(ref)));
  }
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
    std::string_view hex = t.substr(2);
    const bool valid = AllOf(hex, IsHex);
    while (hex.size() > 1 && hex[0] == '0') hex.remove_prefix(1);
    FUZZ_CHECK(v.has_value() == (valid && hex.size() <= 64));
  }
  // The input's bytes as a 256-bit magnitude, with a sign.
  Int256 raw = 0;
  for (size_t k = 0; k < t.size() && k < 32; ++k) raw = (raw << 8) | static_cast<uint8_t>(t[k]);
  CheckPrinting(raw);
  CheckPrinting(-raw);
}

std::span<const uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

void Encodings(std::string_view t) {
  namespace sg = sonde::signer;
  auto hex = sg::FromHex(t, "fuzz");
  const bool hex_shape = t.size() % 2 == 0 && AllOf(t, IsHex);
  FUZZ_CHECK(hex.ok() == hex_shape);
  if (hex.ok()) {
    std::string lower(t);
    for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'F' ? c | 0x20 : c);
    FUZZ_CHECK(sg::ToHex(hex.value()) == lower);
  }
  auto b64 = sg::FromBase64(t, "fuzz");
  if (b64.ok()) FUZZ_CHECK(sg::ToBase64(b64.value()) == t);
  // Base58 is quadratic in the length: a bounded input keeps runs fast.
  const std::string_view short_t = t.substr(0, 256);
  auto b58 = sg::FromBase58(short_t, "fuzz");
  if (b58.ok()) FUZZ_CHECK(sg::ToBase58(b58.value()) == short_t);

  const std::vector<uint8_t> bytes(Bytes(t).begin(), Bytes(t).end());
  auto h = sg::FromHex(sg::ToHex(bytes), "fuzz");
  FUZZ_CHECK(h.ok() && h.value() == bytes);
  auto b = sg::FromBase64(sg::ToBase64(bytes), "fuzz");
  FUZZ_CHECK(b.ok() && b.value() == bytes);
  const std::vector<uint8_t> few(bytes.begin(),
                                 bytes.begin() + std::min<size_t>(bytes.size(), 256));
  auto c = sg::FromBase58(sg::ToBase58(few), "fuzz");
  FUZZ_CHECK(c.ok() && c.value() == few);
}

void ChainValue(std::string_view t) {
  const std::string pointer(sonde::fuzz::TakeLine(t));
  boost::system::error_code ec;
  const boost::json::value doc = sonde::ParseAnswer(t, ec);
  const boost::json::value* v = ec ? nullptr : doc.find_pointer(pointer, ec);
  std::optional<Int256> value;
  if (v && v->is_int64()) {
    value = Int256(v->get_int64());
  } else if (v && v->is_uint64()) {
    value = Int256(v->get_uint64());
  } else if (v && v->is_string()) {
    value = Parse(v->get_string());
  }
  if (value) {
    CheckPrinting(*value);
  } else if (v) {
    std::string found = boost::json::serialize(*v);  // what the detail quotes
    if (found.size() > 80) found = found.substr(0, 80) + "...";
  }
}

// An RLP item: a byte string, or a list of items.
struct Item {
  bool is_list = false;
  std::vector<uint8_t> bytes;
  std::vector<Item> items;
  bool operator==(const Item&) const = default;
};

// Reads what the input describes into `out` (appending its encoding to
// `rlp`): a list of items until the input or the list ends.
void Build(std::string_view& in, int depth, std::vector<Item>& out, std::vector<uint8_t>& rlp) {
  while (!in.empty() && out.size() < 64) {
    const uint8_t op = static_cast<uint8_t>(in[0]) % 5;
    in.remove_prefix(1);
    if (op == 4) return;  // the end of this list
    Item item;
    if (op == 0) {  // a byte string: a 2-byte length, then that many bytes
      size_t n = 0;
      for (int k = 0; k < 2 && !in.empty(); ++k, in.remove_prefix(1)) {
        n = n << 8 | static_cast<uint8_t>(in[0]);
      }
      n = std::min(n, in.size());
      item.bytes.assign(Bytes(in).begin(), Bytes(in).begin() + n);
      in.remove_prefix(n);
      sonde::signer::RlpAppendBytes(&rlp, item.bytes);
    } else if (op == 1) {  // a uint64
      uint64_t x = 0;
      for (int k = 0; k < 8 && !in.empty(); ++k, in.remove_prefix(1)) {
        x = x << 8 | static_cast<uint8_t>(in[0]);
      }
      sonde::signer::RlpAppendUint(&rlp, x);
      for (; x != 0; x >>= 8) item.bytes.insert(item.bytes.begin(), static_cast<uint8_t>(x));
    } else if (op == 2) {  // up to 256 bits, and a sign
      const bool negative = !in.empty() && (static_cast<uint8_t>(in[0]) & 1);
      if (!in.empty()) in.remove_prefix(1);
      Int256 v = 0;
      for (int k = 0; k < 32 && !in.empty(); ++k, in.remove_prefix(1)) {
        v = (v << 8) | static_cast<uint8_t>(in[0]);
      }
      if (negative && v != 0) {
        const size_t before = rlp.size();
        FUZZ_CHECK(!sonde::signer::RlpAppendInteger(&rlp, -v, "fuzz").ok());
        FUZZ_CHECK(rlp.size() == before);  // nothing appended
        continue;
      }
      item.bytes = sonde::signer::MinimalBigEndian(v);
      FUZZ_CHECK(item.bytes.empty() == (v == 0));
      FUZZ_CHECK(item.bytes.empty() || item.bytes[0] != 0);
      Int256 back = 0;
      for (uint8_t b : item.bytes) back = (back << 8) | b;
      FUZZ_CHECK(back == v);
      FUZZ_CHECK(sonde::signer::RlpAppendInteger(&rlp, v, "fuzz").ok());
    } else {  // a list
      if (depth >= 16) continue;
      item.is_list = true;
      std::vector<uint8_t> payload;
      Build(in, depth + 1, item.items, payload);
      sonde::signer::RlpAppendList(&rlp, payload);
    }
    out.push_back(std::move(item));
  }
}

// A strict RLP reader: canonical lengths only (no leading zero in a length,
// the long form only from 56 bytes, a single byte below 0x80 as itself).
bool Decode(std::span<const uint8_t>& in, Item& out) {
  if (in.empty()) return false;
  const uint8_t p = in[0];
  in = in.subspan(1);
  if (p < 0x80) {
    out.bytes = {p};
    return true;
  }
  const bool list = p >= 0xc0;
  const uint8_t base = list ? 0xc0 : 0x80;
  size_t n = p - base;
  if (n > 55) {
    const size_t len_len = n - 55;
    if (len_len > 8 || in.size() < len_len || in[0] == 0) return false;
    n = 0;
    for (size_t k = 0; k < len_len; ++k) n = n << 8 | in[k];
    in = in.subspan(len_len);
    if (n < 56) return false;
  }
  if (in.size() < n) return false;
  std::span<const uint8_t> body = in.subspan(0, n);
  in = in.subspan(n);
  out.is_list = list;
  if (!list) {
    if (n == 1 && body[0] < 0x80) return false;  // should have been the byte itself
    out.bytes.assign(body.begin(), body.end());
    return true;
  }
  while (!body.empty()) {
    Item child;
    if (!Decode(body, child)) return false;
    out.items.push_back(std::move(child));
  }
  return true;
}

void Rlp(std::string_view t) {
  std::vector<Item> items;
  std::vector<uint8_t> rlp;
  Build(t, 0, items, rlp);
  std::span<const uint8_t> in(rlp);
  for (const Item& want : items) {
    Item got;
    FUZZ_CHECK(Decode(in, got));
    FUZZ_CHECK(got == want);
  }
  FUZZ_CHECK(in.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view rest = sonde::fuzz::AsText(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      Integers(rest);
      break;
    case 1:
      Encodings(rest);
      break;
    case 2:
      ChainValue(rest);
      break;
    case 3:
      Rlp(rest);
      break;
  }
  return 0;
}

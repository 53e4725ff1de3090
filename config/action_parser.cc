#include "config/action_parser.h"

#include <algorithm>
#include <cctype>

#include "config/fields.h"
#include "config/suggest.h"

namespace sonde {
namespace {

// The keys that hold a step's action, one per kind; probes/ maps each kind to
// its prober. A step has exactly one.
constexpr std::string_view kActionKeys[] = {"http",   "jsonrpc", "sign", "frost",
                                            "wallet", "sleep",   "tcp",  "tls"};

constexpr std::string_view kMethods[] = {"GET",   "HEAD",   "POST",   "PUT",
                                         "PATCH", "DELETE", "OPTIONS"};

bool Before(const toml::node& a, const toml::node& b) {
  SourceLocation x = Where(a), y = Where(b);
  return x.line != y.line ? x.line < y.line : x.column < y.column;
}

void ParseMethod(TableReader& r, HttpStep& http) {
  std::optional<std::string> method = r.String("method");
  if (!method) return;
  std::string upper = *method;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (std::find(std::begin(kMethods), std::end(kMethods), upper) == std::end(kMethods)) {
    r.Error(Where(*r.table().get("method")),
            "unknown HTTP method \"" + *method +
                "\" (use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS)");
    return;
  }
  http.method = upper;
}

// `body` and `json` both fill HttpStep::body; `json` also sets the type.
void ParseBody(TableReader& r, HttpStep& http, std::vector<VariableUse>* uses) {
  std::optional<Template> body = r.ReadTemplate("body", uses);
  std::optional<Template> json = r.ReadTemplate("json", uses);
  const toml::node* body_node = r.table().get("body");
  const toml::node* json_node = r.table().get("json");
  if (body_node && json_node) {
    const toml::node& later = Before(*body_node, *json_node) ? *json_node : *body_node;
    r.Error(Where(later), "\"body\" and \"json\" are mutually exclusive");
  }
  if (json) {
    http.body = std::move(*json);
    http.content_type = "application/json";
  } else if (body) {
    http.body = std::move(*body);
  }
}

void ReadMaxResponseBytes(TableReader& r, size_t& out) {
  if (std::optional<int64_t> max = r.Integer("max_response_bytes")) {
    if (*max <= 0) {
      r.Error(Where(*r.table().get("max_response_bytes")),
              "\"max_response_bytes\" must be positive, got " + std::to_string(*max));
    } else {
      out = static_cast<size_t>(*max);
    }
  }
}

HttpStep ParseHttp(ParseContext& ctx, const toml::table& table, const std::string& path,
                   std::vector<VariableUse>* uses) {
  TableReader r(ctx, table, path, path,
                {"method", "path", "headers", "body", "json", "max_response_bytes"});
  HttpStep http;
  ParseMethod(r, http);
  if (std::optional<Template> p = r.ReadTemplate("path", uses, /*required=*/true)) {
    if (!p->source().starts_with('/')) {
      r.Error(Where(*table.get("path")),
              "\"path\" must start with '/', got \"" + p->source() + "\"");
    }
    http.path = std::move(*p);
  }
  http.headers = ParseHeaders(r, uses);
  ParseBody(r, http, uses);
  ReadMaxResponseBytes(r, http.max_response_bytes);
  return http;
}

}  // namespace

// TOML -> JsonTemplate; strings compile as templates. Dates and times have
// no JSON form and are reported.
std::optional<JsonTemplate> ToJsonTemplate(TableReader& r, const toml::node& node,
                                           const std::string& field,
                                           std::vector<VariableUse>* uses) {
  JsonTemplate out;
  if (const auto* b = node.as_boolean()) {
    out.kind = JsonTemplate::Kind::kBool;
    out.boolean = b->get();
  } else if (const auto* i = node.as_integer()) {
    out.kind = JsonTemplate::Kind::kInteger;
    out.integer = i->get();
  } else if (const auto* f = node.as_floating_point()) {
    out.kind = JsonTemplate::Kind::kDouble;
    out.number = f->get();
  } else if (node.is_string()) {
    std::optional<Template> t = CompileTemplate(r.ctx(), node, r.PathOf(field), uses);
    if (!t) return std::nullopt;
    out.kind = JsonTemplate::Kind::kString;
    out.text = std::move(*t);
  } else if (const auto* a = node.as_array()) {
    out.kind = JsonTemplate::Kind::kArray;
    for (size_t k = 0; k < a->size(); ++k) {
      auto item = ToJsonTemplate(r, *a->get(k), field + "[" + std::to_string(k + 1) + "]", uses);
      if (item) out.items.push_back(std::move(*item));
    }
  } else if (const auto* t = node.as_table()) {
    out.kind = JsonTemplate::Kind::kObject;
    for (auto [key, value] : InFileOrder(*t)) {
      auto member = ToJsonTemplate(r, *value, field + "." + PathSegment(key->str()), uses);
      if (member) out.members.emplace_back(std::string(key->str()), std::move(*member));
    }
  } else {
    r.WrongType(node, field, "a JSON-like value (string, number, boolean, array or table)");
    return std::nullopt;
  }
  return out;
}

namespace {

JsonRpcStep ParseJsonRpc(ParseContext& ctx, const toml::table& table, const std::string& path,
                         std::vector<VariableUse>* uses) {
  TableReader r(ctx, table, path, path,
                {"method", "params", "path", "headers", "max_response_bytes"});
  JsonRpcStep rpc;
  if (std::optional<std::string> method = r.String("method", /*required=*/true)) {
    if (method->empty()) r.Error(Where(*table.get("method")), "\"method\" must not be empty");
    rpc.method = *method;
  }
  if (const toml::node* params = r.Get("params")) {
    if (!params->is_array() && !params->is_table()) {
      r.WrongType(*params, "params", "an array or a table (JSON-RPC 2.0 by-position or by-name)");
    } else if (auto p = ToJsonTemplate(r, *params, "params", uses)) {
      rpc.params = std::move(*p);
    }
  }
  if (std::optional<Template> p = r.ReadTemplate("path", uses)) {
    if (!p->source().empty() && !p->source().starts_with('/')) {
      r.Error(Where(*table.get("path")),
              "\"path\" must start with '/', got \"" + p->source() + "\"");
    }
    rpc.path = std::move(*p);
  }
  rpc.headers = ParseHeaders(r, uses);
  ReadMaxResponseBytes(r, rpc.max_response_bytes);
  return rpc;
}

// The fields each canonical message takes; the signer fills in the signing
// key's own public key (`from` / `node`).
struct MessageSpec {
  std::string_view name;
  SignStep::Message message;
  std::vector<std::string_view> required;
  std::vector<std::string_view> optional;
};
const MessageSpec kMessages[] = {
    {"transfer", SignStep::Message::kTransfer, {"chain_id", "to", "amount", "nonce"}, {"memo"}},
    {"activation", SignStep::Message::kActivation, {"chain_id", "challenge", "node_type"}, {}},
    {"claim", SignStep::Message::kClaim, {"chain_id", "beneficiary", "amount", "nonce"}, {}},
    // EIP-1559 when the max_* fees are given, legacy EIP-155 with gas_price;
    // max_fee_per_gas may instead follow from base_fee (2 x base + tip).
    {"evm_tx",
     SignStep::Message::kEvmTx,
     {"chain_id", "nonce", "to", "gas"},
     {"value", "data", "gas_price", "max_fee_per_gas", "max_priority_fee_per_gas", "base_fee"}},
};

// What a payload and the output may be written in.
std::optional<ByteEncoding> EncodingNamed(std::string_view name) {
  if (name == "text") return ByteEncoding::kText;
  if (name == "hex") return ByteEncoding::kHex;
  if (name == "base64") return ByteEncoding::kBase64;
  if (name == "base58") return ByteEncoding::kBase58;
  return std::nullopt;
}

// `payload_encoding` (text, hex, base64, base58) or `output` (the same but
// text): how bytes are written.
void ReadEncoding(TableReader& r, std::string_view key, bool allow_text, ByteEncoding& out) {
  std::optional<std::string> name = r.String(key);
  if (!name) return;
  std::optional<ByteEncoding> e = EncodingNamed(*name);
  if (!e || (!allow_text && *e == ByteEncoding::kText)) {
    r.Error(Where(*r.table().get(key)),
            "\"" + std::string(key) + "\" is \"" + *name + "\" (use " +
                (allow_text ? "text, " : "") + "hex, base64 or base58)");
    return;
  }
  out = *e;
}

// Which fees an evm_tx was given: a legacy gas_price, or EIP-1559's tip
// with a max fee or the base fee to derive it from. Reported at the table.
void CheckEvmFees(TableReader& f, const toml::table& fields) {
  const bool legacy = fields.get("gas_price");
  const bool tip = fields.get("max_priority_fee_per_gas");
  const bool max = fields.get("max_fee_per_gas");
  const bool base = fields.get("base_fee");
  if (legacy && (tip || max || base)) {
    f.Error(Where(fields),
            "give \"gas_price\" (a legacy EIP-155 transaction) or EIP-1559's fees "
            "(max_priority_fee_per_gas with max_fee_per_gas or base_fee), not both");
  } else if (!legacy && !tip) {
    f.Error(Where(fields),
            "give the fees: \"max_priority_fee_per_gas\" with \"max_fee_per_gas\" or "
            "\"base_fee\" (EIP-1559), or \"gas_price\" (legacy)");
  } else if (tip && !max && !base) {
    f.Error(Where(fields),
            "give \"max_fee_per_gas\", or \"base_fee\" to derive it (2 x base_fee + tip)");
  } else if (max && base) {
    f.Error(Where(*fields.get("base_fee")),
            "\"base_fee\" only derives a missing \"max_fee_per_gas\"; give one of them");
  }
}

// A message field: a template string, or an integer taken as its text.
std::optional<Template> FieldTemplate(TableReader& r, std::string_view key,
                                      std::vector<VariableUse>* uses) {
  const toml::node* node = r.Get(key);
  if (!node) return std::nullopt;
  if (const auto* i = node->as_integer()) {
    if (i->get() < 0) {
      r.Error(Where(*node), "\"" + std::string(key) + "\" must not be negative");
      return std::nullopt;
    }
    return Template::Compile(std::to_string(i->get()));
  }
  if (!node->is_string()) {
    r.WrongType(*node, key, "a string or an integer");
    return std::nullopt;
  }
  return r.ReadTemplate(key, uses);
}

// A reader that knows (and reports others than) a message's fields.
TableReader FieldReader(ParseContext& ctx, const toml::table& table, const std::string& path,
                        SignStep::Message message) {
  switch (message) {
    case SignStep::Message::kTransfer:
      return TableReader(ctx, table, path, path, {"chain_id", "to", "amount", "nonce", "memo"});
    case SignStep::Message::kActivation:
      return TableReader(ctx, table, path, path, {"chain_id", "challenge", "node_type"});
    case SignStep::Message::kClaim:
      return TableReader(ctx, table, path, path, {"chain_id", "beneficiary", "amount", "nonce"});
    case SignStep::Message::kEvmTx:
      return TableReader(ctx, table, path, path,
                         {"chain_id", "nonce", "to", "gas", "value", "data", "gas_price",
                          "max_fee_per_gas", "max_priority_fee_per_gas", "base_fee"});
    case SignStep::Message::kPayload:
      break;
  }
  return TableReader(ctx, table, path, path, {});
}

SignStep ParseSign(TableReader& step, const toml::table& table, const std::string& path,
                   std::vector<VariableUse>* uses) {
  ParseContext& ctx = step.ctx();
  TableReader r(ctx, table, path, path,
                {"key", "into", "payload", "payload_encoding", "output", "transfer", "activation",
                 "claim", "evm_tx"});
  SignStep sign;
  bool evm_key = false;
  if (std::optional<std::string> key = r.String("key", /*required=*/true)) {
    evm_key = std::find(ctx.secp256k1_keys.begin(), ctx.secp256k1_keys.end(), *key) !=
              ctx.secp256k1_keys.end();
    sign.key = *key;
    if (std::find(ctx.keys.begin(), ctx.keys.end(), *key) == ctx.keys.end()) {
      std::string message = "unknown key \"" + *key + "\"";
      if (ctx.keys.empty()) {
        message += " (no [keys.*] table is defined)";
      } else if (auto guess = ClosestMatch(*key, ctx.keys)) {
        message += " (did you mean \"" + *guess + "\"?)";
      }
      r.Error(Where(*table.get("key")), message);
    }
  }
  if (std::optional<std::string> into = r.String("into")) {
    if (!IsVariableName(*into, /*allow_dash=*/false)) {
      r.Error(Where(*table.get("into")), "bad variable name \"" + *into + "\" in \"into\"");
    }
    sign.into = *into;
  }
  int given = 0;
  for (auto [key, node] : InFileOrder(table)) {
    const std::string_view k = key->str();
    if (k != "payload" && k != "transfer" && k != "activation" && k != "claim" && k != "evm_tx")
      continue;
    if (++given > 1) {
      r.Error(Where(*key),
              "sign one thing: \"" + std::string(k) + "\" comes after another message");
    }
  }
  if (given == 0) {
    r.Error(Where(table), "give what to sign: payload, transfer, activation, claim or evm_tx");
  }
  ReadEncoding(r, "payload_encoding", /*allow_text=*/true, sign.payload_encoding);
  ReadEncoding(r, "output", /*allow_text=*/false, sign.output);
  if (table.get("payload_encoding") && !table.get("payload")) {
    r.Error(Where(*table.get("payload_encoding")),
            "\"payload_encoding\" applies to a \"payload\" only");
  }
  if (std::optional<Template> payload = r.ReadTemplate("payload", uses)) {
    sign.message = SignStep::Message::kPayload;
    sign.payload = std::move(*payload);
  }
  for (const MessageSpec& spec : kMessages) {
    const toml::table* fields = r.Table(spec.name);
    if (!fields) continue;
    sign.message = spec.message;
    std::vector<std::string_view> known = spec.required;
    known.insert(known.end(), spec.optional.begin(), spec.optional.end());
    const std::string fields_path = r.PathOf(spec.name);
    TableReader f = FieldReader(ctx, *fields, fields_path, spec.message);
    for (std::string_view name : known) {
      const bool required =
          std::find(spec.required.begin(), spec.required.end(), name) != spec.required.end();
      if (!fields->get(name)) {
        if (required) f.Get(name, /*required=*/true);
        continue;
      }
      if (std::optional<Template> t = FieldTemplate(f, name, uses)) {
        sign.fields.emplace_back(std::string(name), std::move(*t));
      }
    }
    if (spec.message == SignStep::Message::kEvmTx) CheckEvmFees(f, *fields);
  }
  // An EVM transaction needs a secp256k1 key; everything else is Ed25519.
  const bool evm_message = sign.message == SignStep::Message::kEvmTx;
  if (given == 1 && !sign.key.empty() && evm_key != evm_message &&
      std::find(ctx.keys.begin(), ctx.keys.end(), sign.key) != ctx.keys.end()) {
    r.Error(Where(*table.get("key")),
            evm_message ? "key \"" + sign.key +
                              "\" is an Ed25519 key; evm_tx needs a secp256k1 key "
                              "([keys." + sign.key + "] type = \"secp256k1\")"
                        : "key \"" + sign.key +
                              "\" is a secp256k1 key; it signs evm_tx only (use an Ed25519 "
                              "key for payload, transfer, activation and claim)");
  }
  if (evm_message && (table.get("into") || table.get("output"))) {
    r.Error(Where(*table.get(table.get("into") ? "into" : "output")),
            "an evm_tx gives ${raw_tx} and ${tx_hash} (0x-hex); \"into\" and \"output\" do not "
            "apply");
  }
  return sign;
}

FrostStep ParseFrost(ParseContext& ctx, const toml::table& table, const std::string& path,
                     std::vector<VariableUse>* uses) {
  TableReader r(ctx, table, path, path,
                {"signers", "message", "participants", "deadline", "group_public_key"});
  FrostStep frost;
  if (std::optional<std::string> signers = r.String("signers", /*required=*/true)) {
    frost.signers = *signers;
    auto it = ctx.targets ? ctx.targets->find(*signers) : decltype(ctx.targets->end()){};
    if (!ctx.targets || it == ctx.targets->end()) {
      std::vector<std::string> names;
      if (ctx.targets) {
        for (const auto& [name, group] : *ctx.targets) names.push_back(name);
      }
      std::string message = "unknown target group \"" + *signers + "\"";
      if (auto guess = ClosestMatch(*signers, names))
        message += " (did you mean \"" + *guess + "\"?)";
      r.Error(Where(*table.get("signers")), message);
    } else {
      frost.signer_group = it->second;
    }
  }
  if (std::optional<Template> message = r.ReadTemplate("message", uses)) {
    frost.message = std::move(*message);
  }
  if (const toml::array* ids = r.Array("participants")) {
    for (size_t i = 0; i < ids->size(); ++i) {
      const toml::node& node = *ids->get(i);
      const auto* id = node.as_integer();
      if (!id || id->get() < 1 || id->get() > 65535) {
        r.Error(Where(node), "\"participants[" + std::to_string(i + 1) +
                                 "]\" must be a participant identifier 1..65535");
        continue;
      }
      frost.participants.push_back(static_cast<uint16_t>(id->get()));
    }
  }
  if (std::optional<Duration> deadline = r.ReadDuration("deadline")) frost.deadline = *deadline;
  if (std::optional<std::string> key = r.String("group_public_key")) {
    if (key->size() != 64 || key->find_first_not_of("0123456789abcdef") != std::string::npos) {
      r.Error(Where(*table.get("group_public_key")),
              "\"group_public_key\" must be 64 lowercase hex digits");
    }
    frost.group_public_key = *key;
  }
  return frost;
}

WalletStep ParseWallet(ParseContext& ctx, const toml::table& table, const std::string& path,
                       std::vector<VariableUse>* uses) {
  TableReader r(ctx, table, path, path, {"name", "spend"});
  WalletStep step;
  if (std::optional<std::string> name = r.String("name", /*required=*/true)) {
    step.wallet = *name;
    if (std::find(ctx.wallets.begin(), ctx.wallets.end(), *name) == ctx.wallets.end()) {
      std::string message = "unknown wallet \"" + *name + "\"";
      if (auto guess = ClosestMatch(*name, ctx.wallets))
        message += " (did you mean \"" + *guess + "\"?)";
      r.Error(Where(*table.get("name")), message);
    }
  }
  if (std::optional<Template> spend = FieldTemplate(r, "spend", uses)) {
    step.spend = std::move(*spend);
  } else if (!table.get("spend")) {
    step.spend = *Template::Compile("0");
  }
  return step;
}

// An optional `port`: 1..65535; 0 (absent) means the target URL's port.
uint16_t ReadPort(TableReader& r) {
  std::optional<int64_t> port = r.Integer("port");
  if (!port) return 0;
  if (*port < 1 || *port > 65535) {
    r.Error(Where(*r.table().get("port")),
            "\"port\" must be 1..65535, got " + std::to_string(*port));
    return 0;
  }
  return static_cast<uint16_t>(*port);
}

}  // namespace

bool HasResponse(const std::string& kind) {
  return kind == "http" || kind == "jsonrpc" || kind == "sign" || kind == "frost" ||
         kind == "wallet";
}

void ParseAction(TableReader& r, ParsedStep& out) {
  const toml::node* found = nullptr;
  for (auto [key, node] : InFileOrder(r.table())) {
    if (std::find(std::begin(kActionKeys), std::end(kActionKeys), key->str()) ==
        std::end(kActionKeys)) {
      continue;
    }
    if (found) {
      r.Error(Where(*node), "a step has exactly one action, but \"" + std::string(key->str()) +
                                "\" follows \"" + out.step.kind + "\"");
      continue;
    }
    found = node;
    out.step.kind = std::string(key->str());
  }
  if (!found) {
    r.ctx().diags.Add(
        r.where(),
        r.path() + " has no action (add http, jsonrpc, sign, frost, wallet, tcp, tls or sleep)");
    return;
  }
  if (out.step.kind == "http") {
    if (const toml::table* http = r.Table("http")) {
      out.step.action = ParseHttp(r.ctx(), *http, r.PathOf("http"), &out.uses);
    }
  } else if (out.step.kind == "sign") {
    if (const toml::table* sign = r.Table("sign")) {
      out.step.action = ParseSign(r, *sign, r.PathOf("sign"), &out.uses);
    }
  } else if (out.step.kind == "frost") {
    if (const toml::table* frost = r.Table("frost")) {
      out.step.action = ParseFrost(r.ctx(), *frost, r.PathOf("frost"), &out.uses);
    }
  } else if (out.step.kind == "wallet") {
    if (const toml::table* wallet = r.Table("wallet")) {
      out.step.action = ParseWallet(r.ctx(), *wallet, r.PathOf("wallet"), &out.uses);
    }
  } else if (out.step.kind == "jsonrpc") {
    if (const toml::table* rpc = r.Table("jsonrpc")) {
      out.step.action = ParseJsonRpc(r.ctx(), *rpc, r.PathOf("jsonrpc"), &out.uses);
    }
  } else if (out.step.kind == "sleep") {
    out.step.action = SleepStep{r.ReadDuration("sleep").value_or(Duration{})};
  } else if (out.step.kind == "tcp") {
    if (const toml::table* tcp = r.Table("tcp")) {
      TableReader t(r.ctx(), *tcp, r.PathOf("tcp"), r.PathOf("tcp"), {"port"});
      out.step.action = TcpStep{ReadPort(t)};
    }
  } else if (out.step.kind == "tls") {
    if (const toml::table* tls = r.Table("tls")) {
      TableReader t(r.ctx(), *tls, r.PathOf("tls"), r.PathOf("tls"), {"port", "server_name"});
      out.step.action = TlsStep{ReadPort(t), t.String("server_name").value_or("")};
    }
  }
}

}  // namespace sonde

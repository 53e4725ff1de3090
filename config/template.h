// `${name}` templates, compiled once at config load so a run only
// concatenates. Names are [A-Za-z_][A-Za-z0-9_.-]* ("wallet.address",
// "vars.to", "nonce", "vars.api-key"); "$${" writes a literal "${".
// Thread-safe: a Template is immutable after Compile.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonde {

class Template {
 public:
  struct Segment {
    bool is_variable = false;
    std::string text;   // literal text, or the variable name
    size_t offset = 0;  // where the segment starts in source(), for diagnostics
  };

  Template() = default;

  // Returns nullopt and sets `error` (with the offending column, 0-based
  // offset into `text`, in `error_offset`) when the text is malformed.
  static std::optional<Template> Compile(std::string_view text, std::string* error = nullptr,
                                         size_t* error_offset = nullptr);

  // Lookup returns nullptr when a name is unknown.
  using Lookup = std::function<const std::string*(std::string_view name)>;

  // Renders into `out`. Returns false and names the unknown variable in
  // `missing` if a lookup fails.
  bool Render(const Lookup& lookup, std::string& out, std::string* missing = nullptr) const;

  bool empty() const { return segments_.empty(); }
  bool HasVariables() const;
  const std::vector<Segment>& segments() const { return segments_; }
  const std::string& source() const { return source_; }

 private:
  std::vector<Segment> segments_;
  std::string source_;
};

}  // namespace sonde

#include "core/regex.h"

#include <boost/regex.hpp>

namespace sonde {

struct Regex::Impl {
  boost::regex re;
};

std::optional<Regex> Regex::Compile(std::string_view pattern, std::string* error) {
  try {
    auto impl = std::make_shared<Impl>();
    Regex r;
    r.pattern_ = std::string(pattern);
    // Compiled from the NUL-terminated copy, not from `pattern`: Boost.Regex
    // 1.81 reads one character past the end of a pattern that ends in a
    // range ("[a-,"), which must be the terminator and not the byte that
    // happens to follow the view.
    impl->re.assign(r.pattern_.data(), r.pattern_.data() + r.pattern_.size(), boost::regex::perl);
    r.impl_ = std::move(impl);
    return r;
  } catch (const boost::regex_error& e) {
    if (error) {
      // Boost appends a long "The error occurred while parsing..." sentence;
      // the first sentence and the offset say it more briefly.
      std::string what = e.what();
      what = what.substr(0, what.find(".  "));
      if (!what.empty() && what.back() == '.') what.pop_back();
      *error = what + " (at offset " + std::to_string(e.position()) + ")";
    }
    return std::nullopt;
  }
}

bool Regex::Search(std::string_view text) const {
  // match_default with a bounded search: Boost.Regex throws on pathological
  // backtracking instead of hanging; a runaway pattern simply does not match.
  try {
    return boost::regex_search(text.begin(), text.end(), impl_->re);
  } catch (const std::runtime_error&) {
    return false;
  }
}

}  // namespace sonde

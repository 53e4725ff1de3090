// Parsing what a target answered as JSON: the one place the limits are
// set. Boost.JSON refuses documents nested deeper than 32 by default, which
// turns valid answers (deep contract-call results, nested maps) into
// invalid_response; its parser is not recursive, so a much higher limit
// costs nothing but stays a bound.
#pragma once

#include <boost/json/value.hpp>
#include <string_view>

namespace sonde {

inline constexpr unsigned kMaxJsonDepth = 512;

// The document, or null with `ec` set.
boost::json::value ParseAnswer(std::string_view text, boost::system::error_code& ec);

}  // namespace sonde

#include "core/json_answer.h"

#include <boost/json/parse.hpp>

namespace sonde {

boost::json::value ParseAnswer(std::string_view text, boost::system::error_code& ec) {
  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  return boost::json::parse(text, ec, {}, options);
}

}  // namespace sonde

// JSON text for people and diffs: two-space indentation, keys in insertion
// order, doubles in shortest round-trip form ("0.999", not Boost.JSON's
// "9.99E-1"). Used for reports and the status API.
#pragma once

#include <boost/json/value.hpp>
#include <string>

namespace sonde {

std::string PrettyJson(const boost::json::value& v);

}  // namespace sonde

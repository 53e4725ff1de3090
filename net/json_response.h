// JSON answers for sonde's HTTP servers. Every error a client sees has the
// shape {"error": CODE, "message": TEXT}: CODE is a stable snake_case word a
// program can branch on, TEXT says what was wrong in words and names the
// field. ErrorResponse fits ServerOptions::error_response.
// Thread-safety: pure functions.
#pragma once

#include <boost/beast/http/status.hpp>
#include <boost/json/value.hpp>
#include <string_view>

#include "net/http_server.h"

namespace sonde::net {

Response JsonResponse(boost::beast::http::status status, const boost::json::value& body);
Response ErrorResponse(boost::beast::http::status status, std::string_view code,
                       std::string_view message);

}  // namespace sonde::net
